/* The directory's search: Pagefind's component UI in a dialog, opened by the header's search
   button or the "/" key. Nothing of it loads until a visitor opens it: the first time, this
   script adds Pagefind's styles, the dialog and Pagefind's script, from the search index of the
   page's language (bundle()), then opens the dialog. Pagefind's dialog is a native modal
   <dialog>: it keeps focus inside, announces results, closes on Escape, and gives focus back.
   Keys typed while it opens are kept for its field. Its words are the page's: the field's
   placeholder and the filters' names come from the header's search button (data-placeholder,
   data-filter-<name>, site_templates/overrides/partials/header.html); Pagefind words the rest
   itself in the page's language (<html lang>). */
(function () {
"use strict";

var script = document.currentScript;
var FILTERS = ["country", "label", "sector"]; /* the cluster pages' data-pagefind-filter names */
var modal = null;
var loading = null;

function template(text) {
  var node = element("script", { type: "text/pagefind-template" });
  node.textContent = text;
  return node;
}

function element(name, attributes, children) {
  var node = document.createElement(name);
  Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
  (children || []).forEach(function (child) { node.appendChild(child); });
  return node;
}

/* A result: Pagefind's own (its classes, so its styles and keyboard handling apply), with the
   cluster's label as a badge and its state under the name, from the meta that each cluster page
   carries (site_templates/pages/cluster.html.j2). "{{ }}" escapes; "{{+ +}}" is Pagefind's
   excerpt, already escaped with its marks. */
var RESULT = [
  '<li class="pf-result"><div class="pf-result-card"><div class="pf-result-content">',
  '<p class="pf-result-title"><a class="pf-result-link" href="{{ meta.url | default(url) | safeUrl }}">{{ meta.title }}</a></p>',
  '{{#if meta.status}}<p class="cd-result-status">{{#if meta.label}}<span class="cd-badge cd-badge--{{ meta.level }}">{{ meta.label }}</span> {{/if}}{{ meta.status }}</p>{{/if}}',
  '{{#if excerpt}}<p class="pf-result-excerpt">{{+ excerpt +}}</p>{{/if}}',
  "</div></div>",
  '{{#if sub_results}}<ul class="pf-heading-chips">{{#each sub_results as sub}}<li class="pf-heading-chip">',
  '<a class="pf-heading-link" href="{{ sub.url | safeUrl }}">{{ sub.title }}</a>',
  '<p class="pf-heading-excerpt">{{+ sub.excerpt +}}</p></li>{{/each}}</ul>{{/if}}',
  "</li>"
].join("");

/* A word the header's search button carries for the dialog, by its attribute's name. */
function word(name) {
  var button = document.querySelector("[data-cd-search]");
  return (button && button.getAttribute(name)) || "";
}

/* The search index of the page's language: in a site of several languages, each has its own
   (pagefind/ in its folder), which the header's search button names (data-bundle), on the
   page's own host (the 404 page names it by the site's address, which a preview serves
   elsewhere); else the site's one, in ../pagefind/ beside assets/, where this script is. */
function bundle() {
  var named = word("data-bundle");
  if (!named) return new URL("../pagefind/", script.src);
  return new URL(new URL(named, document.baseURI).pathname, document.baseURI);
}

function dialog() {
  var filters = FILTERS.map(function (filter) {
    return element("pagefind-filter-dropdown", { filter: filter, label: word("data-filter-" + filter) });
  });
  return element("pagefind-modal", { "reset-on-close": "" }, [
    element("pagefind-modal-header", {}, [
      element("pagefind-input", { placeholder: word("data-placeholder") })
    ]),
    element("pagefind-modal-body", {}, [
      element("div", { "class": "cd-search-filters" }, filters),
      element("pagefind-summary"),
      element("pagefind-results", {}, [template(RESULT)])
    ]),
    element("pagefind-modal-footer", {}, [element("pagefind-keyboard-hints")])
  ]);
}

function load() {
  if (!loading) {
    loading = new Promise(function (resolve, reject) {
      var index = bundle();
      document.head.appendChild(element("link", {
        rel: "stylesheet",
        href: new URL("pagefind-component-ui.css", index).href
      }));
      document.body.appendChild(element("pagefind-config", { "bundle-path": index.pathname }));
      modal = dialog();
      document.body.appendChild(modal);
      var ui = element("script", { src: new URL("pagefind-component-ui.js", index).href });
      ui.onload = function () { resolve(modal); };
      ui.onerror = function () { reject(new Error("search did not load")); };
      document.body.appendChild(ui);
      /* Filters chosen in one search are cleared with the text when the dialog closes. */
      modal.addEventListener("close", function () {
        if (window.PagefindComponents) {
          window.PagefindComponents.getInstanceManager().getInstance("default").triggerFilters({});
        }
      }, true);
    });
    loading.catch(function () { loading = null; });
  }
  return loading;
}

/* Pagefind's filter menus name their button only by what is drawn in it, which screen readers
   do not get: the button is given the filter's label as its name. */
function nameFilterButtons(root) {
  root.querySelectorAll("pagefind-filter-dropdown").forEach(function (dropdown) {
    var button = dropdown.querySelector("button[aria-haspopup], button[id$='-trigger']");
    if (button && !button.hasAttribute("aria-label")) {
      button.setAttribute("aria-label", dropdown.getAttribute("label"));
    }
  });
}

/* Keys typed while the search opens (its first opening loads it, which takes longer than the
   pause between two keys) are kept, in order, and put into the search field once it has focus:
   "cluster" typed at once after "/" is searched as "cluster", not "luster". */
var typed = null; /* the keys kept while the search opens; null when it is not opening */
var HAND_OVER_FRAMES = 180; /* about three seconds; then the field takes them as it is */

function keep(event) {
  if (typed === null || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
  if (event.key.length === 1) typed += event.key;
  else if (event.key === "Backspace") typed = typed.slice(0, -1);
  else return;
  event.preventDefault();
  event.stopImmediatePropagation();
}

function handOver(found, frames) {
  /* The dialog focuses its field a frame after it opens; the kept keys go in then. */
  var field = found.querySelector("pagefind-input input");
  var ready = field && document.activeElement === field;
  if (!ready && found.isOpen && frames > 0) {
    requestAnimationFrame(function () { handOver(found, frames - 1); });
    return;
  }
  var keys = typed;
  typed = null;
  if (keys && field && found.isOpen) {
    field.value += keys;
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }
}

function open() {
  if (typed === null) typed = "";
  load().then(function (found) {
    if (!found.isOpen) found.open();
    handOver(found, HAND_OVER_FRAMES);
    nameFilterButtons(found);
    new MutationObserver(function () { nameFilterButtons(found); })
      .observe(found, { childList: true, subtree: true });
  }, function () { typed = null; });
}

window.addEventListener("keydown", keep, true);
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-cd-search]")) open();
});
document.addEventListener("keydown", function (event) {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  if (modal && modal.isOpen) return;
  var target = event.target;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
  event.preventDefault();
  open();
});
})();
