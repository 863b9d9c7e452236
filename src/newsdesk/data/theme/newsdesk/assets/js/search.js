// The search page of the newsdesk theme: a small UI over Pagefind's JS API. The index and
// pagefind.js are built into this site by `newsdesk build`; nothing is loaded from elsewhere.
// Filters: ticker, provider, language (the story pages carry them as data-pagefind-filter).
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("search-config").textContent);
  var S = config.strings;
  var form = document.querySelector(".search-form");
  var input = form.querySelector('input[type="search"]');
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var sortSelect = form.querySelector("select[data-sort]");
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".search-results");
  var PAGE = 10;
  var pagefind = null;
  var results = [];
  var shown = 0;
  var generation = 0;
  var timer = null;
  var params = new URLSearchParams(window.location.search);
  var plural = null;
  try {
    plural = new Intl.PluralRules(String(config.lang).replace("_", "-"));
  } catch (e) {
    plural = null; // an old browser or a code it does not know: "one" for 1, else "other"
  }

  input.value = params.get("q") || "";

  // "{n} results" in the language's plural form for n (the forms come from the theme's i18n).
  function countText(n) {
    var forms = S.results || {};
    var category = plural ? plural.select(n) : (n === 1 ? "one" : "other");
    var text = forms[category] || forms.other || "{n}";
    return text.replace("{n}", n.toLocaleString(plural ? plural.resolvedOptions().locale : undefined));
  }

  function label(name, value) {
    return name === "language" ? (S.languages[value] || value) : value;
  }

  function fillFilters(available) {
    selects.forEach(function (select) {
      var name = select.dataset.filter;
      var counts = available[name] || {};
      Object.keys(counts).sort(function (a, b) {
        return label(name, a).localeCompare(label(name, b));
      }).forEach(function (value) {
        var option = document.createElement("option");
        option.value = value;
        option.textContent = label(name, value) + " (" + counts[value] + ")";
        select.appendChild(option);
      });
      var wanted = params.has(name) ? params.get(name) : (name === "language" ? config.lang : "");
      select.value = Object.prototype.hasOwnProperty.call(counts, wanted) ? wanted : "";
      select.disabled = false;
    });
    if (sortSelect) {
      sortSelect.value = params.get("sort") === "date" ? "date" : "";
      sortSelect.disabled = false;
    }
  }

  function chosenFilters() {
    var filters = {};
    selects.forEach(function (select) {
      if (select.value) {
        filters[select.dataset.filter] = select.value;
      }
    });
    return filters;
  }

  function remember(filters) {
    var query = new URLSearchParams();
    if (input.value.trim()) {
      query.set("q", input.value.trim());
    }
    selects.forEach(function (select) {
      var name = select.dataset.filter;
      if (filters[name]) {
        query.set(name, filters[name]);
      } else if (name === "language") {
        query.set(name, "");
      }
    });
    if (sortSelect && sortSelect.value) {
      query.set("sort", sortSelect.value);
    }
    window.history.replaceState(null, "", "?" + query.toString());
  }

  function render(item) {
    var data = item.data;
    var li = document.createElement("li");
    li.className = "search-result";
    var title = document.createElement("a");
    title.className = "search-result-title";
    title.href = data.url;
    title.textContent = (data.meta && data.meta.title) || data.url;
    li.appendChild(title);
    var meta = document.createElement("p");
    meta.className = "meta";
    var parts = [];
    if (data.meta && data.meta.date) {
      var when = new Date(data.meta.date);
      parts.push(isNaN(when) ? data.meta.date : when.toLocaleString(config.lang, { dateStyle: "medium", timeStyle: "short" }));
    }
    var f = data.filters || {};
    (f.provider || []).forEach(function (p) { parts.push(p); });
    (f.language || []).forEach(function (l) { parts.push(label("language", l)); });
    meta.textContent = parts.join(" · ");
    li.appendChild(meta);
    if ((f.ticker || []).length) {
      var chips = document.createElement("p");
      chips.className = "tickers";
      f.ticker.forEach(function (t) {
        var chip = document.createElement("span");
        chip.className = "chip ticker";
        chip.textContent = t;
        chips.appendChild(chip);
        chips.appendChild(document.createTextNode(" "));
      });
      li.appendChild(chips);
    }
    var excerpt = document.createElement("p");
    excerpt.className = "search-excerpt";
    excerpt.innerHTML = data.excerpt; // Pagefind's excerpt: escaped text with <mark> around hits
    li.appendChild(excerpt);
    return li;
  }

  function showMore(mine) {
    var batch = results.slice(shown, shown + PAGE);
    shown += batch.length;
    return Promise.all(batch.map(function (r) {
      return r.data().then(function (data) { return { data: data }; });
    })).then(function (items) {
      if (mine !== generation) {
        return;
      }
      items.forEach(function (item) { list.appendChild(render(item)); });
      var more = document.querySelector(".search-more");
      if (more) {
        more.remove();
      }
      if (shown < results.length) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "search-more";
        button.textContent = S.more;
        button.addEventListener("click", function () { showMore(mine); });
        list.insertAdjacentElement("afterend", button);
      }
    });
  }

  function run() {
    if (!pagefind) {
      return;
    }
    var mine = ++generation;
    var term = input.value.trim();
    var filters = chosenFilters();
    remember(filters);
    list.textContent = "";
    var old = document.querySelector(".search-more");
    if (old) {
      old.remove();
    }
    if (!term && !filters.ticker && !filters.provider) {
      status.textContent = "";
      return;
    }
    var options = { filters: filters };
    if (sortSelect && sortSelect.value === "date") {
      options.sort = { date: "desc" };
    }
    pagefind.search(term || null, options).then(function (search) {
      if (mine !== generation || !search) {
        return;
      }
      results = search.results;
      shown = 0;
      status.textContent = results.length ? countText(results.length) : S.none;
      return showMore(mine);
    }).catch(function () {
      status.textContent = S.error;
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 250);
  });
  selects.concat(sortSelect ? [sortSelect] : []).forEach(function (select) {
    select.addEventListener("change", run);
  });

  status.textContent = S.loading;
  import(config.bundle + "pagefind.js").then(function (module) {
    pagefind = module;
    return pagefind.options({ baseUrl: config.base, excerptLength: 30 });
  }).then(function () {
    return pagefind.filters();
  }).then(function (available) {
    fillFilters(available || {});
    status.textContent = "";
    run();
  }).catch(function () {
    status.textContent = S.error;
  });
})();
