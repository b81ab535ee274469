// Glossary words that open their plain explanation in place.
//
// tandem writes each marked word as a button and its explanation as an HTML popover: the browser
// opens it with Enter, Space or a tap, closes it with Escape, Close or a tap outside, and puts
// focus back on the word, with no script at all. This script only helps browsers that do not
// know popovers yet: there the explanations are hidden and each button shows or hides its own.
(function () {
  'use strict';

  if (Object.prototype.hasOwnProperty.call(HTMLElement.prototype, 'popover')) return;

  function card(button) {
    return document.getElementById(button.getAttribute('popovertarget'));
  }

  document.querySelectorAll('.tandem-term__popover').forEach(function (popover) {
    popover.hidden = true;
  });
  document.querySelectorAll('.tandem-term__button').forEach(function (button) {
    button.setAttribute('aria-expanded', 'false');
  });
  document.addEventListener('click', function (event) {
    var button = event.target.closest('.tandem-term__button, .tandem-term__close');
    if (!button) return;
    var popover = card(button);
    if (!popover) return;
    var opening = button.classList.contains('tandem-term__button') && popover.hidden;
    popover.hidden = !opening;
    var opener = popover.parentNode.querySelector('.tandem-term__button');
    if (opener) opener.setAttribute('aria-expanded', String(opening));
    if (!opening && opener) opener.focus();
  });
})();
