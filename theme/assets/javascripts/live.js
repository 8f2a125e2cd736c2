/* Live days: an open page of a running day keeps its updates current, on any static host.
 *
 * The latest day's updates (on its page and on the home page) sit in an element with
 * data-brf-live: the address of the day's updates.json, relative to the page, with the
 * day, the site's time zone, the last update's time, the updates' version and the poll
 * interval in seconds (generator/render.py, live_attributes). Whether the day may still
 * change is decided here, from the clock: it is today or yesterday in the site's zone (an
 * update of 23:58 may be published after midnight, and the next day's first one hours
 * later, which the document then names), or its last update is less than LIVE_HOURS old.
 * Other pages carry no data-brf-live, and an older day makes no request at all. Once the
 * document names the next day, the page says so where its updates begin, and stops.
 * Without JavaScript the page is as it was built.
 *
 * Each poll is a conditional request (cache "no-cache": the browser asks whether its copy
 * is current, with the ETag or Last-Modified it got), so an unchanged document costs a
 * "304 Not Modified" of a few hundred bytes. An answer older than one applied (by its
 * Last-Modified: a CDN's edge that still holds the document of a deploy before) is left
 * alone, so that it never takes back an update for a poll. Polls pause while the page is
 * hidden and back off after errors. What changed is applied in place: new updates at their
 * time, edited ones replaced, withdrawn ones removed, the key events and the count
 * refreshed. Nothing scrolls the page (where the browser does not anchor scrolling, the
 * script does); new updates out of view get a "N new updates" button, a count in the
 * title, and a polite announcement to screen readers.
 *
 * Every word shown is the page's own, in the site's language: the theme writes them into
 * #brf-words (generator/mkdocs_plugin.py, script_words), counts as a form per plural
 * category, chosen here with Intl.PluralRules for the page's lang.
 */
(function () {
  "use strict";
  var box = document.querySelector("[data-brf-live]");
  if (!box || !window.fetch || !window.Intl || !Intl.PluralRules || !("IntersectionObserver" in window)) return;
  var words = pageWords();
  if (!words) return;  // a page without its words stays as it was built
  var rules = new Intl.PluralRules(document.documentElement.lang || undefined);

  var LIVE_HOURS = 3;
  var LONGEST_WAIT = 10 * 60 * 1000;
  var MARKED_SECONDS = 8;  // how long a new or edited update stays marked once seen
  var data = box.dataset;
  var source = new URL(data.brfLive, location.href);
  var dayPage = new URL("./", source);  // the document's links are relative to the day's page
  var period = Math.max(1, Number(data.brfPoll) || 30) * 1000;
  var modified = Date.parse(data.brfModified) || 0;
  var onDayPage = box.classList.contains("brf-day");
  var title = document.title;
  var known = null;  // each shown update's HTML by anchor; null until the first answer
  var lastText = null;
  var lastSent = 0;  // the Last-Modified of the newest answer applied (0: none, or no such header)
  var failures = 0, timer = null, busy = false, stopped = false;
  // Remembered in the browser for every live page of this site, and of no other on its host (two
  // archives under one github.io host each keep their own): scoped by the site's root, as the
  // theme scopes its own settings (its __md_scope, "/briefings/.__palette").
  var PAUSED = (window.__md_scope ? window.__md_scope.pathname + "." : "") + "brf-live-paused";
  var paused = remembered(PAUSED);
  var unseen = [], inView = new Set();
  var status, more, watcher;

  function dayOf(moment) {  // YYYY-MM-DD in the site's time zone
    var parts = {};
    new Intl.DateTimeFormat("en-US", { timeZone: data.brfZone, year: "numeric", month: "2-digit", day: "2-digit" })
      .formatToParts(moment).forEach(function (part) { parts[part.type] = part.value; });
    return parts.year + "-" + parts.month + "-" + parts.day;
  }

  function running() {
    try {
      if (data.brfDay >= dayOf(new Date(Date.now() - 24 * 3600 * 1000))) return true;  // today or yesterday
    } catch (error) {
      return false;  // a time zone this browser does not know
    }
    return Date.now() - modified < LIVE_HOURS * 3600 * 1000;
  }

  function remembered(name) {
    try {
      return localStorage.getItem(name) === "1";
    } catch (error) {
      return false;  // storage turned off: not paused
    }
  }

  // A reader may pause the updates (WCAG 2.2.2): the page then stays as it is until resumed.
  function pauseButton() {
    var button = element("button", { type: "button", "class": "brf-live__pause", "aria-pressed": String(paused) }, words.pause);
    button.addEventListener("click", function () {
      paused = !paused;
      button.setAttribute("aria-pressed", String(paused));
      try {
        if (paused) localStorage.setItem(PAUSED, "1");
        else localStorage.removeItem(PAUSED);
      } catch (error) {}
      if (paused) {
        clearTimeout(timer);
        timer = null;
      } else {
        poll();
      }
    });
    return button;
  }

  function pageWords() {
    var holder = document.getElementById("brf-words");
    try {
      return holder ? JSON.parse(holder.textContent) : null;
    } catch (error) {
      return null;
    }
  }

  // "3 new updates", "3 нові оновлення": the form of the count's plural category.
  function plural(count, forms) {
    return (forms[rules.select(count)] || forms.other).replace("%(num)d", String(count));
  }

  function element(tag, attributes, text) {
    var made = document.createElement(tag);
    Object.keys(attributes).forEach(function (name) { made.setAttribute(name, attributes[name]); });
    if (text) made.textContent = text;
    return made;
  }

  // --- polling -------------------------------------------------------------------

  function schedule(delay) {
    clearTimeout(timer);
    timer = stopped ? null : setTimeout(poll, delay);
  }

  function poll() {
    timer = null;
    if (stopped || paused || busy || document.hidden) return;  // a hidden page asks again when shown
    if (!running()) return stop();
    busy = true;
    fetch(source.href, { cache: "no-cache", credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        var sent = Date.parse(response.headers.get("Last-Modified")) || 0;
        return response.text().then(function (text) { return { text: text, sent: sent }; });
      })
      .then(function (answer) {
        if (answer.text !== lastText && !(answer.sent && answer.sent < lastSent)) {
          apply(JSON.parse(answer.text));
          lastText = answer.text;
          lastSent = Math.max(lastSent, answer.sent);
        }
        failures = 0;
        busy = false;
        schedule(period);
      })
      .catch(function () {
        busy = false;
        failures += 1;
        schedule(Math.min(period * Math.pow(2, failures), Math.max(LONGEST_WAIT, period)));
      });
  }

  function stop() {
    stopped = true;
    clearTimeout(timer);
    timer = null;
  }

  // --- applying a document -------------------------------------------------------

  function apply(doc) {
    modified = Date.parse(doc.modified) || modified;
    var changes = { fresh: [], edited: [], removed: 0 };
    if (known === null && doc.version === data.brfVersion) {
      known = {};
      doc.updates.forEach(function (update) { known[update.anchor] = update.html; });
    } else {
      var held = readingPlace();
      reconcile(doc.updates, changes);
      keepReadingPlace(held);
    }
    var count = box.querySelector(".brf-zone__count");
    if (count) count.textContent = plural(doc.updates.length, words.updates);
    keyEvents(doc.updates.filter(function (update) { return update.key; }), doc.title);
    var said = [];
    if (changes.fresh.length) {
      said.push(plural(changes.fresh.length, words.newUpdates) + ": " + titles(changes.fresh) + ".");
    }
    if (changes.edited.length) said.push(plural(changes.edited.length, words.changed) + ": " + titles(changes.edited) + ".");
    if (changes.removed) said.push(plural(changes.removed, words.removed));
    if (doc.next) {
      said.push(dayOver(doc.next));
      stop();
    }
    if (said.length) announce(said.join(" "));
    changes.fresh.forEach(function (el) { unseen.push(el); watcher.observe(el); });
    changes.edited.forEach(function (el) { watcher.observe(el); });  // to unmark once seen
    showUnseen();
  }

  // The shown updates made to match ``updates``, in their order, each moved or made only if need
  // be: the withdrawn ones go first, so that the others stay where they are (and keep the focus).
  function reconcile(updates, changes) {
    var shown = {}, wanted = {};
    updates.forEach(function (update) { wanted[update.anchor] = true; });
    Array.prototype.forEach.call(box.querySelectorAll(":scope > article.brf-entry"), function (el) {
      if (wanted[el.id]) shown[el.id] = el;
      else { withdraw(el); changes.removed += 1; }
    });
    var place = box.querySelector(".brf-zone");
    if (!place) return;
    var now = {};
    updates.forEach(function (update) {
      var el = shown[update.anchor];
      if (!el) {
        el = made(update, "brf-entry--new");
        changes.fresh.push(el);
      } else if (known === null || known[update.anchor] !== update.html) {
        var edited = made(update, known === null ? "" : "brf-entry--edited");
        replaceKeepingFocus(el, edited);
        el = edited;
        if (known !== null) changes.edited.push(el);
      }
      if (place.nextElementSibling !== el) place.after(el);
      place = el;
      now[update.anchor] = update.html;
    });
    known = now;
  }

  // Where the reader is: the first update whose foot is below the top of the screen.
  function readingPlace() {
    var updates = box.querySelectorAll(":scope > article.brf-entry");
    for (var i = 0; i < updates.length; i++) {
      var rect = updates[i].getBoundingClientRect();
      if (rect.bottom > 0) return { id: updates[i].id, top: rect.top };
    }
    return null;
  }

  // Browsers that anchor scrolling keep that update where it was when updates come in above
  // it; Safari before 27 does not, and one set to "overflow-anchor: none" neither: the page
  // is scrolled by what moved it, so that nothing moves under the reader.
  function keepReadingPlace(held) {
    var scroller = document.scrollingElement || document.documentElement;
    if (!held || !scroller.scrollTop || getComputedStyle(scroller).overflowAnchor === "auto") return;
    var el = document.getElementById(held.id);
    if (!el) return;
    var moved = el.getBoundingClientRect().top - held.top;
    if (Math.abs(moved) >= 1) window.scrollBy(0, moved);
  }

  // An edited update in the place of the one shown; a link the reader had focused in it is
  // focused again in the new one (the same link by its place), else the update itself.
  function replaceKeepingFocus(old, fresh) {
    var focused = document.activeElement;
    var within = focused && focused !== old && old.contains(focused);
    var index = within ? Array.prototype.indexOf.call(old.querySelectorAll("a[href], button"), focused) : -1;
    box.replaceChild(fresh, old);
    if (!within && focused !== old) return;
    var target = fresh.querySelectorAll("a[href], button")[index];
    if (!target) {
      fresh.setAttribute("tabindex", "-1");
      target = fresh;
    }
    target.focus({ preventScroll: true });
  }

  function made(update, mark) {
    var template = document.createElement("template");
    template.innerHTML = update.html;
    var el = template.content.firstElementChild;
    el.querySelectorAll("[href], [src]").forEach(function (node) {
      ["href", "src"].forEach(function (name) {
        var value = node.getAttribute(name);
        if (value !== null) node.setAttribute(name, new URL(value, dayPage).href);
      });
    });
    if (mark) el.classList.add(mark);
    var title = el.querySelector("h2.brf-entry__title");
    if (title && !onDayPage) {
      // Under the home page's heading of the day, as the page's own blocks are (render.entry_blocks).
      var lower = document.createElement("h3");
      Array.prototype.forEach.call(title.attributes, function (a) { lower.setAttribute(a.name, a.value); });
      lower.append.apply(lower, Array.prototype.slice.call(title.childNodes));
      title.replaceWith(lower);
    }
    return el;
  }

  function titles(els) {
    return els.map(function (el) { return el.querySelector(".brf-entry__title").textContent; }).join("; ");
  }

  function withdraw(el) {
    var at = unseen.indexOf(el);
    if (at >= 0) unseen.splice(at, 1);
    watcher.unobserve(el);
    inView.delete(el);
    el.remove();
  }

  function keyItems(list, keys) {
    // Made again only when they change, so that a link the reader is on keeps the focus.
    var said = JSON.stringify(keys.map(function (update) { return [update.anchor, update.time, update.title]; }));
    if (list.dataset.brfKeys === said) return;
    list.dataset.brfKeys = said;
    list.replaceChildren.apply(list, keys.map(function (update) {
      var link = element("a", { href: new URL("#" + update.anchor, dayPage).href });
      link.append(element("time", { datetime: update.published }, update.time), " " + update.title);
      var item = element("li", {});
      item.append(link);
      return item;
    }));
  }

  function keyEvents(keys, dayTitle) {
    if (onDayPage) {
      var aside = box.querySelector(".brf-key");
      if (!keys.length) { if (aside) aside.remove(); return; }
      if (!aside) {
        aside = element("aside", { "class": "brf-key", "aria-label": words.keyEvents });
        aside.append(element("h2", {}, words.keyEvents), element("ul", {}));
        box.prepend(aside);
      }
      return keyItems(aside.querySelector("ul"), keys);
    }
    // The home page: the day's list in the key events of the last days.
    var list = document.querySelector('ul[data-brf-key-day="' + data.brfDay + '"]');
    var section = document.querySelector(".brf-home__key");
    if (!keys.length) {
      if (list) { list.previousElementSibling.remove(); list.remove(); }
      if (section && !section.querySelector("ul")) section.remove();
      return;
    }
    if (!list) {
      if (!section) {
        section = element("section", { "class": "brf-home__key" });
        section.append(element("h2", {}, words.keyDays));
        (document.querySelector(".brf-home__active") || box).before(section);
      }
      var heading = element("h3", {});
      heading.append(element("a", { href: dayPage.href }, dayTitle));
      list = element("ul", { "data-brf-key-day": data.brfDay });
      // The newest day first, under the heading and its line on the time zone.
      (section.querySelector(".brf-zone") || section.querySelector("h2")).after(heading, list);
    }
    keyItems(list, keys);
  }

  function dayOver(next) {
    var parts = words.dayOver.split("%(day)s");  // the sentence around the next day's link
    var note = element("p", { "class": "brf-live__next" }, parts[0]);
    note.append(element("a", { href: new URL(next.url, dayPage).href }, next.title), parts.slice(1).join(""));
    // Where the day's updates begin, beside the button, not under the last of them.
    (box.querySelector(".brf-zone") || box.firstChild).before(note);
    return parts.join(next.title);
  }

  // --- telling the reader --------------------------------------------------------

  function announce(text) {
    status.textContent = "";
    setTimeout(function () { status.textContent = text; }, 50);  // a new text, even if the same words
  }

  function seen(el) {
    var at = unseen.indexOf(el);
    if (at >= 0) unseen.splice(at, 1);
    watcher.unobserve(el);
    inView.delete(el);
    setTimeout(function () { el.classList.remove("brf-entry--new", "brf-entry--edited"); }, MARKED_SECONDS * 1000);
  }

  function showUnseen() {
    var count = unseen.length;
    document.title = count ? "(" + count + ") " + title : title;
    more.hidden = !count;
    if (!count) return;
    more.textContent = plural(count, words.newUpdates);
    more.dataset.direction = unseen[0].getBoundingClientRect().top < 0 ? "up" : "down";
  }

  // Seen: a quarter of the update on screen, or a third of the screen for a long one.
  function watch(entries) {
    entries.forEach(function (entry) {
      var shown = entry.intersectionRatio >= 0.25 || entry.intersectionRect.height >= innerHeight / 3;
      if (!entry.isIntersecting || !shown) return inView.delete(entry.target);
      inView.add(entry.target);
      if (!document.hidden) seen(entry.target);
    });
    showUnseen();
  }

  function start() {
    if (!running()) return;
    status = element("p", { "class": "brf-visually-hidden", role: "status", "aria-live": "polite" });
    more = element("button", { type: "button", "class": "brf-live__more" });
    more.hidden = true;
    box.append(status);
    // Shown at the foot of the screen, but in the keyboard's order where the updates begin, not
    // after the page's last link.
    var zone = box.querySelector(".brf-zone");
    if (zone) zone.before(more);
    else box.prepend(more);
    if (zone && words.pause) zone.append(" ", pauseButton());
    watcher = new IntersectionObserver(watch, { threshold: [0, 0.1, 0.25, 0.5, 0.75, 1] });
    more.addEventListener("click", function () {
      var first = unseen[0];
      if (!first) return;
      var reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      first.scrollIntoView({ block: "start", behavior: reduce ? "auto" : "smooth" });
      first.setAttribute("tabindex", "-1");
      first.focus({ preventScroll: true });
      seen(first);
      showUnseen();
    });
    document.addEventListener("visibilitychange", function () {
      if (document.hidden) {
        clearTimeout(timer);
        timer = null;
        return;
      }
      inView.forEach(seen);
      showUnseen();
      poll();
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) poll();  // back from the browser's history: catch up at once
    });
    window.addEventListener("online", function () {  // the network is back: no need to sit out the back-off
      failures = 0;
      poll();
    });
    poll();  // at once: the page may come from a cache, older than the document
  }

  start();
})();
