/* Common Ground: keyboard focus after in-place updates (htmx).
   When an update replaces the part of the page that held the keyboard focus, focus would
   fall back to the page body (and a keyboard user would start again from the top). Instead
   it moves into the updated region: to the element marked data-focus-after-update (after a
   vote, the next statement's first vote button), else to the region itself. An update
   elsewhere (a live check beside a form being typed in) leaves focus where it is. */
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function (event) {
    var old = event.detail.target;
    if (!old || !old.id) return;
    var focusLost = !document.activeElement || document.activeElement === document.body
      || !document.contains(document.activeElement);
    if (!focusLost) return;
    var region = document.getElementById(old.id);
    if (!region) return;
    var first = region.querySelector("[data-focus-after-update]");
    if (first) {
      first.focus();
      return;
    }
    if (!region.hasAttribute("tabindex")) region.setAttribute("tabindex", "-1");
    region.focus();
  });
})();
