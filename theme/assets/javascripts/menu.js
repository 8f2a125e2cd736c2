// The navigation drawer of a narrow page. mkdocs-material opens it from a <label> for a hidden
// checkbox, which a keyboard never reaches: a button takes the label's place, with its icon and
// name, that Enter and Space press and that says whether the drawer is open. Without this
// script the label stays, for a pointer. While the drawer is closed, its links are out of the
// keyboard's way (theme/assets/stylesheets/briefings.css), not focused off the screen.
(() => {
  const drawer = document.getElementById("__drawer");
  const label = document.querySelector('label.md-header__button[for="__drawer"]');
  if (!drawer || !label) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = `${label.className} brf-menu-button`;
  button.setAttribute("aria-label", label.getAttribute("aria-label") || "");
  button.append(...label.childNodes);
  label.replaceWith(button);
  const links = () => document.querySelectorAll(".md-sidebar--primary a[href]");
  const told = () => button.setAttribute("aria-expanded", String(drawer.checked));
  told();
  drawer.addEventListener("change", told);
  // Opened from the keyboard, the focus goes to the drawer's first link; Escape closes it and
  // gives the focus back to the button, as a menu's does.
  button.addEventListener("click", (event) => {
    drawer.click();
    if (drawer.checked && event.detail === 0) setTimeout(() => links()[0]?.focus(), 0);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !drawer.checked) return;
    drawer.click();
    button.focus();
  });
  // Tabbing on from its last link, or back from its first, closes it: the focus would go under it.
  document.addEventListener("focusin", (event) => {
    if (drawer.checked && event.target !== button && !event.target.closest(".md-sidebar--primary")) drawer.click();
  });
})();
