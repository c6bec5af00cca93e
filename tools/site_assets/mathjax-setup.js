// MathJax 3 on the notebook pages, set up for Jupyter's $...$ and $$...$$; SVG output needs no
// web fonts. tools/build_site.py copies tex-svg-full.js (sphinx-mathjax-offline) beside this file.
window.MathJax = {
  tex: {inlineMath: [["$", "$"], ["\\(", "\\)"]], displayMath: [["$$", "$$"], ["\\[", "\\]"]],
        processEscapes: true, processEnvironments: true},
  svg: {fontCache: "global"},
  options: {ignoreHtmlClass: "highlight-ipynb|jp-OutputArea-output"}
};
(function () {
  var script = document.createElement("script");
  script.src = new URL("tex-svg-full.js", document.currentScript.src).href;
  script.async = true;
  document.head.appendChild(script);
})();
