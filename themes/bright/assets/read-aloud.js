// "Read this page aloud": a button that reads the page's main text with the browser's own speech
// synthesis. Progressive enhancement: without JavaScript or speech synthesis there is no button,
// and the page works as before. Nothing is sent anywhere.
(function () {
  'use strict';

  if (!('speechSynthesis' in window) || typeof window.SpeechSynthesisUtterance !== 'function') return;

  var main = document.querySelector('main');
  var title = main && main.querySelector('h1');
  if (!title) return;

  // Parts of the page that are not read: navigation, repeated numbers, and this button.
  var SKIPPED = '.tandem-toc, .tandem-pagination, .tandem-more, .tandem-meta, .tandem-read-aloud, ' +
    '.tandem-chart__table, .tandem-icon-array__svg, .tandem-term__popover, script, style, template, ' +
    '[hidden], [aria-hidden="true"]';
  var BLOCKS = 'h1, h2, h3, h4, h5, h6, p, li, dt, dd, figcaption, caption, blockquote, tr, td, th, ' +
    'div, section, figure, ul, ol, dl, table, tbody, thead';

  function clean(text) {
    return text.replace(/\s+/g, ' ').trim();
  }

  // The text of `el` without the parts that are skipped (such as glossary explanations).
  function textOf(el) {
    var out = '';
    el.childNodes.forEach(function (node) {
      if (node.nodeType === Node.TEXT_NODE) out += node.nodeValue;
      else if (node.nodeType === Node.ELEMENT_NODE && !node.matches(SKIPPED)) out += node.matches('br') ? ' ' : textOf(node);
    });
    return out;
  }

  // The page as a list of { el, text }, one per paragraph, heading or list item, in order.
  function readableParts(root) {
    var parts = [];
    function add(el, text) {
      text = clean(text);
      if (text) parts.push({ el: el, text: text });
    }
    function visit(el) {
      if (el.matches(SKIPPED)) return;
      if (el.matches('svg')) {
        var desc = el.querySelector('desc') || el.querySelector('title');
        if (desc) add(el, desc.textContent);
        return;
      }
      if (el.matches('img')) {
        add(el, el.getAttribute('alt') || '');
        return;
      }
      if (!el.querySelector(BLOCKS + ', svg, img')) {
        add(el, textOf(el));
        return;
      }
      // A block that holds other blocks: read its own loose text, then each block inside.
      var loose = '';
      el.childNodes.forEach(function (node) {
        if (node.nodeType === Node.TEXT_NODE) {
          loose += node.nodeValue;
        } else if (node.nodeType === Node.ELEMENT_NODE) {
          if (node.matches(BLOCKS + ', svg, img')) {
            add(el, loose);
            loose = '';
            visit(node);
          } else if (!node.matches(SKIPPED)) {
            loose += node.matches('br') ? ' ' : textOf(node);
          }
        }
      });
      add(el, loose);
    }
    visit(root);
    return parts;
  }

  var synth = window.speechSynthesis;
  var language = document.documentElement.getAttribute('lang') || '';
  var parts = [];
  var index = 0;
  var reading = false;
  var highlighted = null;

  var box = document.createElement('div');
  box.className = 'tandem-read-aloud';
  var button = document.createElement('button');
  button.type = 'button';
  button.className = 'tandem-read-aloud__button';
  var label = document.createElement('span');
  label.className = 'tandem-read-aloud__label';
  button.appendChild(label);
  box.appendChild(button);

  function highlight(el) {
    if (highlighted) highlighted.classList.remove('tandem-reading');
    highlighted = el;
    if (el) el.classList.add('tandem-reading');
  }

  function show(isReading) {
    reading = isReading;
    label.textContent = isReading ? 'Stop reading' : 'Read this page aloud';
    button.classList.toggle('tandem-read-aloud__button--reading', isReading);
    if (!isReading) highlight(null);
  }

  function speakNext() {
    if (!reading) return;
    if (index >= parts.length) {
      show(false);
      return;
    }
    var part = parts[index];
    index += 1;
    var utterance = new window.SpeechSynthesisUtterance(part.text);
    if (language) utterance.lang = language;
    utterance.onstart = function () {
      highlight(part.el);
    };
    utterance.onend = speakNext;
    utterance.onerror = function () {
      show(false);
    };
    synth.speak(utterance);
  }

  function start() {
    synth.cancel();
    parts = readableParts(main);
    index = 0;
    show(true);
    speakNext();
  }

  function stop() {
    show(false);
    synth.cancel();
  }

  button.addEventListener('click', function () {
    if (reading) stop();
    else start();
  });
  window.addEventListener('pagehide', stop);

  show(false);
  var after = title.nextElementSibling && title.nextElementSibling.matches('.tandem-lede')
    ? title.nextElementSibling
    : title;
  after.insertAdjacentElement('afterend', box);
})();
