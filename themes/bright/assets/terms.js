// Glossary words that open their plain explanation in place.
//
// Without this script a marked word is a link to its entry in the word list (it still works).
// With it, the word becomes a button that opens a small card with the explanation, a link to the
// word list and a Close button. The card is an HTML popover: the browser handles the keyboard
// (Enter or Space opens it, Escape closes it and focus goes back to the word), tapping outside
// closes it, and screen readers are told the button opens something.
(function () {
  'use strict';

  if (!Object.prototype.hasOwnProperty.call(HTMLElement.prototype, 'popover')) return;

  var count = 0;

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  function enhance(link) {
    var abbr = link.querySelector('abbr.tandem-term');
    var meaning = abbr && abbr.getAttribute('title');
    if (!meaning) return;
    var word = abbr.textContent;
    count += 1;
    var id = 'tandem-term-' + count;
    while (document.getElementById(id)) id += '-' + count;

    var wrap = element('span', 'tandem-term-wrap');
    var open = element('button', 'tandem-term__button', word);
    open.type = 'button';
    open.setAttribute('popovertarget', id);

    var card = element('span', 'tandem-term__popover');
    card.id = id;
    card.setAttribute('popover', 'auto');
    card.appendChild(element('strong', 'tandem-term__word', word));
    card.appendChild(element('span', 'tandem-term__means', meaning));
    var actions = element('span', 'tandem-term__actions');
    var more = element('a', 'tandem-term__more', 'See all the words');
    more.href = link.getAttribute('href');
    var close = element('button', 'tandem-term__close', 'Close');
    close.type = 'button';
    close.setAttribute('popovertarget', id);
    close.setAttribute('popovertargetaction', 'hide');
    actions.appendChild(more);
    actions.appendChild(close);
    card.appendChild(actions);

    wrap.appendChild(open);
    wrap.appendChild(card);
    link.replaceWith(wrap);
  }

  document.querySelectorAll('main a.tandem-term-link').forEach(enhance);
})();
