// The powerskills explorer: plain JavaScript over the public JSON API (no build step, no
// dependency, nothing loaded from elsewhere). Every text from the API goes into the page with
// textContent, never as HTML.
'use strict';

(() => {
  const PAGE_SIZE = 20;
  const $ = (id) => document.getElementById(id);

  /** GET a JSON document of this API; a problem (4xx/5xx) becomes an Error with its detail. */
  async function api(path) {
    const res = await fetch(path, { headers: { Accept: 'application/json' } });
    const body = await res.json().catch(() => null);
    if (!res.ok) {
      const detail = body && body.detail ? body.detail : `HTTP ${res.status}`;
      throw new Error(detail);
    }
    return body;
  }

  function el(tag, props = {}, children = []) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === 'text') node.textContent = value;
      else if (key === 'class') node.className = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children) node.append(child);
    return node;
  }

  const status = (text) => { $('status').textContent = text; };
  const plural = (n, one, many) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

  // ---------------------------------------------------------------- catalog header and footer

  async function loadCatalog() {
    const info = await api('/');
    $('title').textContent = info.title;
    document.title = `${info.title} · powerskills explorer`;
    const bits = [info.publisher, info.year].filter((x) => x !== null && x !== '').join(', ');
    $('subtitle').textContent =
      `${bits} · ${plural(info.counts.skills, 'skill', 'skills')} in ` +
      `${plural(info.counts.categories, 'category', 'categories')}`;
    const attribution = [info.attribution, info.license ? `Licence: ${info.license}` : null]
      .filter(Boolean).join(' ');
    $('attribution').textContent = attribution || `Source: ${info.title} (${info.publisher}).`;
  }

  // ---------------------------------------------------------------- category tabs

  let categories = [];
  let childrenOf = new Map(); // slug → its child categories, in catalog order
  let tabs = [];
  const browse = { root: null, slug: null, offset: 0 };
  const bySlug = (s) => categories.find((c) => c.slug === s);

  async function loadCategories() {
    categories = (await api('/categories')).data;
    childrenOf = new Map();
    for (const c of categories) {
      if (c.parent === null) continue;
      if (!childrenOf.has(c.parent)) childrenOf.set(c.parent, []);
      childrenOf.get(c.parent).push(c);
    }
    const roots = categories.filter((c) => c.parent === null);
    const tablist = $('tabs');
    tablist.replaceChildren();
    tabs = roots.map((c, i) => el('button', {
      type: 'button', role: 'tab', id: `tab-${c.slug}`, 'aria-controls': 'panel',
      'aria-selected': 'false', tabindex: i === 0 ? '0' : '-1', 'data-slug': c.slug,
      onclick: () => selectTab(i, false),
      onkeydown: (e) => tabKey(e, i),
    }, [el('span', { text: c.name }), el('span', { class: 'count', text: c.skill_count.toLocaleString('en') })]));
    tablist.append(...tabs);
    if (!tabs.length) {
      $('panel').replaceChildren(el('p', { class: 'empty', text: 'This catalog has no categories yet.' }));
      return;
    }
    // `#slug` opens that category: a root is a tab; a group opens under its root's tab.
    const wanted = bySlug(decodeURIComponent(location.hash.slice(1)));
    let root = wanted;
    while (root && root.parent !== null) root = bySlug(root.parent);
    const tab = root ? tabs.findIndex((t) => t.dataset.slug === root.slug) : -1;
    selectTab(tab >= 0 ? tab : 0, false);
    if (wanted && wanted !== root) showCategory(wanted.slug);
  }

  // The ARIA tabs pattern: arrows move between tabs (and select), Home/End jump to the ends.
  function tabKey(event, i) {
    const last = tabs.length - 1;
    const to = { ArrowRight: i === last ? 0 : i + 1, ArrowLeft: i === 0 ? last : i - 1, Home: 0, End: last }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    selectTab(to, true);
  }

  function selectTab(i, focus) {
    tabs.forEach((t, j) => {
      t.setAttribute('aria-selected', String(i === j));
      t.tabIndex = i === j ? 0 : -1;
    });
    if (focus) tabs[i].focus();
    tabs[i].scrollIntoView({ block: 'nearest', inline: 'nearest' });
    $('panel').setAttribute('aria-labelledby', tabs[i].id);
    const slug = tabs[i].dataset.slug;
    browse.root = slug;
    showCategory(slug);
  }

  // A category's panel: where it sits (a path back up the hierarchy), what it is, the groups
  // below it as buttons with their skill counts (ESCO's skill groups), and its skills a page at
  // a time (a category's skills include those of its groups).
  async function showCategory(slug, focusHeading = false) {
    browse.slug = slug;
    browse.offset = 0;
    history.replaceState(null, '', `#${slug}`);
    const current = bySlug(slug);
    const trail = [];
    for (let c = current; c; c = c.parent === null ? null : bySlug(c.parent)) trail.unshift(c);

    const title = el('div', { class: 'panel-title' });
    if (trail.length > 1) {
      const crumbs = el('ol');
      for (const c of trail.slice(0, -1)) {
        crumbs.append(el('li', {}, [el('button', { type: 'button', class: 'crumb', text: c.name,
          onclick: () => showCategory(c.slug, true) })]));
      }
      title.append(el('nav', { class: 'crumbs', 'aria-label': 'Category path' }, [crumbs]));
    }
    const heading = el('h3', { id: 'panel-heading', tabindex: '-1', text: current.name });
    title.append(heading);
    if (current.description && current.description !== current.name) {
      title.append(el('p', { class: 'lead', text: current.description }));
    }
    title.append(el('p', { class: 'muted small', text: plural(current.skill_count, 'skill', 'skills') }));
    const head = el('div', { class: 'panel-head' }, [title]);

    const parts = [head];
    const children = childrenOf.get(slug) ?? [];
    if (children.length) {
      parts.push(el('nav', { class: 'groups', 'aria-labelledby': 'groups-title' }, [
        el('h4', { id: 'groups-title', text: `${plural(children.length, 'group', 'groups')} in ${current.name}` }),
        el('ul', {}, children.map((c) => {
          const below = (childrenOf.get(c.slug) ?? []).length;
          return el('li', {}, [el('button', { type: 'button', class: 'group', 'data-slug': c.slug,
            onclick: () => showCategory(c.slug, true) }, [
            el('span', { class: 'group-name', text: c.name }),
            el('span', { class: 'group-meta' }, [
              el('span', { class: 'count', text: plural(c.skill_count, 'skill', 'skills') }),
              ...(below ? [el('span', { class: 'muted small', text: plural(below, 'group', 'groups') })] : []),
            ]),
          ])]);
        })),
      ]));
      parts.push(el('h4', { class: 'skills-title', text: `Every skill in ${current.name}` }));
    }
    const list = el('ul', { class: 'cards', id: 'skill-list', 'aria-label': `Skills in ${current.name}` });
    const more = el('div', { class: 'more' });
    $('panel').replaceChildren(...parts, list, more);
    if (focusHeading) heading.focus();
    await loadSkills(list, more);
  }

  async function loadSkills(list, more) {
    const slug = browse.slug;
    const page = await api(`/skills?category=${encodeURIComponent(slug)}&limit=${PAGE_SIZE}&offset=${browse.offset}`);
    if (slug !== browse.slug) return; // another tab was chosen meanwhile
    list.append(...page.data.map(skillCard));
    browse.offset += page.data.length;
    more.replaceChildren();
    if (page.total === 0) {
      list.replaceWith(el('p', { class: 'empty', text: 'No skills in this category yet.' }));
    } else if (browse.offset < page.total) {
      more.append(
        el('span', { class: 'muted', text: `Showing ${browse.offset.toLocaleString('en')} of ${page.total.toLocaleString('en')}` }),
        el('button', { type: 'button', text: `Show ${Math.min(PAGE_SIZE, page.total - browse.offset)} more`,
          onclick: async (e) => {
            e.target.disabled = true;
            const first = list.children.length;
            await loadSkills(list, more);
            const next = list.children[first];
            if (next) next.querySelector('button').focus();
          } }),
      );
    } else if (page.total > PAGE_SIZE) {
      more.append(el('span', { class: 'muted', text: `All ${page.total.toLocaleString('en')} shown` }));
    }
  }

  function skillCard(skill) {
    return el('li', { class: 'card' }, [
      el('h3', {}, [el('button', { type: 'button', class: 'skill-link', text: skill.name,
        onclick: () => openSkill(skill.slug) })]),
      el('p', { text: skill.description || 'No description.' }),
      el('p', { class: 'tag', text: skill.category.name }),
    ]);
  }

  // ---------------------------------------------------------------- one skill

  async function openSkill(slug) {
    const dialog = $('skill');
    try {
      const skill = await api(`/skills/${encodeURIComponent(slug)}`);
      $('skill-name').textContent = skill.name;
      $('skill-category').textContent = skill.categories.map((c) => c.name).join(' · ');
      $('skill-description').textContent = skill.description || 'No description.';
      // `type` (`skill` or `knowledge`) where the API has it, else the source's `skill_type`.
      const kind = skill.type ?? skill.skill_type;
      $('skill-type').textContent = kind ? `Type: ${kind.charAt(0).toUpperCase()}${kind.slice(1)}` : '';
      $('skill-type').hidden = !kind;
      $('skill-aliases').replaceChildren(...skill.aliases.map((a) => el('li', { class: 'chip', text: a })));
      $('skill-aliases-block').hidden = skill.aliases.length === 0;
      $('skill-related').replaceChildren(...skill.related.map((r) => el('li', {}, [
        el('button', { type: 'button', class: 'chip chip-link', text: r.name, onclick: () => openSkill(r.slug) }),
      ])));
      $('skill-related-block').hidden = skill.related.length === 0;
      $('skill-uri').textContent = skill.uri ? `Source identifier: ${skill.uri}` : '';
      $('skill-uri').hidden = !skill.uri;
      if (!dialog.open) dialog.showModal();
      dialog.querySelector('.dialog-close button').focus();
    } catch (err) {
      status(`Could not load this skill: ${err.message}`);
    }
  }

  // ---------------------------------------------------------------- search with autocomplete

  const input = $('q');
  const listbox = $('suggestions');
  let suggestions = [];
  let active = -1;
  let typed = 0; // sequence number: late answers for older input are dropped

  function closeSuggestions() {
    listbox.hidden = true;
    listbox.replaceChildren();
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    suggestions = [];
    active = -1;
  }

  function setActive(i) {
    active = i;
    [...listbox.children].forEach((li, j) => li.setAttribute('aria-selected', String(i === j)));
    if (i >= 0) {
      input.setAttribute('aria-activedescendant', listbox.children[i].id);
      listbox.children[i].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  async function suggest() {
    const q = input.value.trim();
    const seq = ++typed;
    if (!q) return closeSuggestions();
    let body;
    try {
      body = await api(`/skills/autocomplete?q=${encodeURIComponent(q)}&limit=8`);
    } catch {
      return closeSuggestions();
    }
    if (seq !== typed) return;
    suggestions = body.data;
    if (!suggestions.length) return closeSuggestions();
    listbox.replaceChildren(...suggestions.map((s, i) => {
      const option = el('li', { id: `suggestion-${i}`, role: 'option', 'aria-selected': 'false',
        onmousedown: (e) => e.preventDefault(), // keep the focus in the input
        onclick: () => pick(i) }, [el('span', { class: 'option-name', text: s.name })]);
      if (s.matched === 'alias') option.append(el('span', { class: 'option-label', text: `also “${s.label}”` }));
      return option;
    }));
    listbox.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    active = -1;
  }

  function pick(i) {
    const s = suggestions[i];
    input.value = s.name;
    closeSuggestions();
    openSkill(s.slug);
  }

  input.addEventListener('input', suggest);
  input.addEventListener('blur', () => setTimeout(closeSuggestions, 100));
  input.addEventListener('keydown', (e) => {
    const open = !listbox.hidden && suggestions.length > 0;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (!open) suggest(); else setActive(active + 1 >= suggestions.length ? 0 : active + 1);
    } else if (e.key === 'ArrowUp' && open) {
      e.preventDefault();
      setActive(active <= 0 ? suggestions.length - 1 : active - 1);
    } else if (e.key === 'Enter' && open && active >= 0) {
      e.preventDefault();
      pick(active);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      closeSuggestions();
    }
  });

  $('search').addEventListener('submit', async (e) => {
    e.preventDefault();
    closeSuggestions();
    const q = input.value.trim();
    if (!q) return;
    try {
      const page = await api(`/skills?q=${encodeURIComponent(q)}&limit=50`);
      const note = [`${plural(page.total, 'skill', 'skills')} found`];
      if (page.corrected_q) note.push(`(showing results for “${page.corrected_q}”)`);
      $('results-title').textContent = `Results for “${q}”`;
      $('results-note').textContent = note.join(' ');
      $('results-list').replaceChildren(...page.data.map(skillCard));
      $('results').hidden = false;
      $('browse').hidden = true;
      $('results-title').setAttribute('tabindex', '-1');
      $('results-title').focus();
    } catch (err) {
      status(`Search failed: ${err.message}`);
    }
  });

  $('results-close').addEventListener('click', () => {
    $('results').hidden = true;
    $('browse').hidden = false;
    const selected = tabs.find((t) => t.getAttribute('aria-selected') === 'true');
    if (selected) selected.focus();
  });

  // ---------------------------------------------------------------- FAQ

  async function loadFaq() {
    const page = await api('/faqs?limit=100');
    const box = $('faq-list');
    if (page.total === 0) {
      box.replaceChildren(el('p', { class: 'empty' }, [
        'This catalog has no frequently asked questions. ',
        el('a', { href: '/docs/', text: 'The API documentation' }),
        ' describes everything it offers.',
      ]));
      return;
    }
    box.replaceChildren(...page.data.map((f) => el('details', { class: 'qa', id: `faq-${f.id}` }, [
      el('summary', {}, [el('span', { text: f.question }), el('span', { class: 'tag', text: f.category.name })]),
      el('p', { text: f.answer }),
    ])));
  }

  // ---------------------------------------------------------------- start

  Promise.all([loadCatalog(), loadCategories(), loadFaq()])
    .then(() => status(''))
    .catch((err) => status(`The catalog could not be loaded: ${err.message}`));
})();
