/* Search with Pagefind in a dialog: the header button (or "/") opens it; the UI's
 * script, styles and index are fetched on the first opening, from pagefind/ beside
 * the site's pages. The index is split into bundles (pagefind/bundles.json lists
 * them), merged here into one search. A result names the day page and its matching
 * entries, each linking to the entry's anchor on that day. */
(function () {
  "use strict";
  var dialog = document.getElementById("brf-search");
  var opener = document.querySelector(".brf-search-open");
  if (!dialog || !opener || typeof dialog.showModal !== "function") return;
  var loading = null;
  var SAY_AFTER = 600;  // milliseconds without a change of the results before they are said
  var words = {};  // the page's words, in the site's language (theme/main.html)
  try {
    words = JSON.parse(document.getElementById("brf-words").textContent);
  } catch (error) {}

  // data-bundle is relative to this page; Pagefind wants the bundles' paths from the
  // host's root, and derives the site's base path from them.
  var root = new URL(dialog.dataset.bundle, location.href).pathname;

  function load(tag, attributes) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement(tag);
      Object.keys(attributes).forEach(function (key) { el[key] = attributes[key]; });
      el.onload = resolve;
      el.onerror = function () { reject(new Error("could not load " + (attributes.src || attributes.href))); };
      document.head.appendChild(el);
    });
  }

  // Entry headings carry the id "<slug>__title" (generator/fragments.py) so that
  // Pagefind lists entries as sub-results; readers land on the entry's own anchor.
  // A result is a day: the UI shows three of its matching updates, and the third place
  // goes to how many more of the day's updates match, linked to the day.
  var SHOWN = 3;  // the sub-results Pagefind's UI shows of a result

  function presentDay(result) {
    var subs = result.sub_results || [];
    var day = (result.meta && result.meta.url) || result.url;
    var lead = subs.length && subs[0].url === day ? subs.slice(0, 1) : [];  // the page's own part, if any
    var updates = subs.slice(lead.length);
    updates.forEach(function (sub) { sub.url = sub.url.replace(/__title$/, ""); });
    if (updates.length > SHOWN) {
      var best = updates.slice().sort(function (a, b) { return b.locations.length - a.locations.length; })
        .slice(0, SHOWN - 1);
      var more = updates.length - best.length;
      updates = updates.filter(function (sub) { return best.indexOf(sub) !== -1; });  // in the day's order
      updates.push({ title: counted(words.moreMatches, more), url: day, excerpt: "", locations: [], anchor: null });
    }
    result.sub_results = lead.concat(updates);
    return result;
  }

  // A count in the page's words: their forms by CLDR plural category (script_words).
  function counted(forms, count) {
    var category = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang).select(count) : "other";
    return ((forms && (forms[category] || forms.other)) || "%(num)d").replace("%(num)d", String(count));
  }

  function bundles() {
    return fetch(root + "bundles.json").then(function (response) {
      if (!response.ok) throw new Error("could not load " + root + "bundles.json");
      return response.json();
    });
  }

  function showUI(paths) {
    var element = dialog.querySelector(".brf-search__ui");
    if (!paths.length) {
      element.textContent = words.nothingToSearch || "";
      return null;
    }
    var first = root + paths[0];
    return Promise.all([
      load("link", { rel: "stylesheet", href: first + "pagefind-ui.css" }),
      load("script", { src: first + "pagefind-ui.js" }),
    ]).then(function () {
      new window.PagefindUI({
        element: element,
        bundlePath: first,
        // The other bundles share the first one's engine: only their indexes load.
        mergeIndex: paths.slice(1).map(function (path) { return { bundlePath: root + path }; }),
        showSubResults: true,
        showImages: false,
        resetStyles: false,
        autofocus: true,
        processResult: presentDay,
        // Ukrainian's apostrophe ʼ, indexed as ’ (search_index._stand_in): typed either way, it finds.
        processTerm: function (term) { return term.replace(/\u02bc/g, "\u2019"); },
      });
      // The dialog's visible heading names the field (the UI gives it only a title).
      var input = dialog.querySelector(".pagefind-ui__search-input");
      if (input) input.setAttribute("aria-labelledby", "brf-search-title");
      sayResults(element);
    });
  }

  // The UI writes "3 results for kyiv" in a plain paragraph, which a screen reader does not
  // hear: the dialog's status says it, once the reader has stopped typing for a moment.
  function sayResults(element) {
    var status = dialog.querySelector("[role=status]");
    if (!status || !window.MutationObserver) return;
    var timer = null, said = "";
    new MutationObserver(function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var message = element.querySelector(".pagefind-ui__message");
        var text = message ? message.textContent.trim() : "";
        if (text && text !== said) status.textContent = said = text;
      }, SAY_AFTER);
    }).observe(element, { childList: true, subtree: true, characterData: true });
  }


  function start() {
    if (!loading) {
      loading = bundles().then(showUI);
      loading.catch(function (error) {
        loading = null;
        dialog.querySelector(".brf-search__ui").textContent = (words.searchUnavailable || "%(error)s").replace("%(error)s", error.message);
      });
    }
    return loading;
  }

  function focusInput() {
    var input = dialog.querySelector("input[type='text'], input[type='search']");
    if (input) input.focus();
  }

  function open() {
    if (!dialog.open) dialog.showModal();
    start().then(focusInput, function () {});
  }

  opener.addEventListener("click", open);
  dialog.querySelector(".brf-search__close").addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("click", function (event) {
    var link = event.target.closest("a[href]");
    if (event.target === dialog) dialog.close();  // a click on the backdrop
    else if (link) {  // a result, maybe on this very page: the reader goes on from the update
      dialog.close();
      if (link.pathname === location.pathname && link.hash) setTimeout(function () { focusUpdate(link.hash); });
    }
  });

  // The dialog gave focus back to what had it before; a keyboard or screen reader user who
  // chose an update of the page they are on goes on from that update instead.
  function focusUpdate(hash) {
    var target = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!target) return;
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || dialog.open) return;
    var target = event.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    event.preventDefault();
    open();
  });
})();
