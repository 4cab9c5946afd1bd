// Wide screens show the navigation as a bar: keep the <details> menu open there.
(function () {
  var menu = document.querySelector("details.menu");
  if (!menu || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 900px)");
  function sync() { if (wide.matches) menu.open = true; }
  sync();
  if (wide.addEventListener) wide.addEventListener("change", sync);
})();
