// Accessibility fixes for the theme (tools/build_site.py adds this file to every page):
// the search dialog gets a name, and a code or output box that scrolls sideways can be
// reached with the keyboard (tab to it, then scroll with the arrow keys).
(function () {
  document.querySelectorAll(".md-search[role=dialog]").forEach(function (dialog) {
    dialog.setAttribute("aria-label", "Search the course");
  });
  function focusableWhenScrolling() {
    var boxes = document.querySelectorAll(".jupyter-wrapper .highlight-ipynb, .jupyter-wrapper pre");
    boxes.forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "code or output, scrolls sideways");
      }
    });
  }
  focusableWhenScrolling();
  window.addEventListener("resize", focusableWhenScrolling);
})();
