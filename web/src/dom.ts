// A tiny element builder: h('p', {class: 'x'}, 'text', child).

type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v as EventListener);
    } else if (k === 'style') {
      // Through the CSSOM: the Content-Security-Policy refuses style attributes.
      el.style.cssText = String(v);
    } else if (v === true) {
      el.setAttribute(k, '');
    } else {
      el.setAttribute(k, String(v));
    }
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c);
  }
  return el;
}

let ids = 0;
/** A fresh id for label/for pairs. */
export function uid(prefix = 'f'): string {
  ids += 1;
  return `${prefix}-${ids}`;
}

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/**
 * Replaces `el`'s children, keeping what was being written in its forms
 * (each control's value, found again by its form's and its own class) and
 * the focus: a panel drawn again because someone else acted does not wipe
 * a form half filled. A form being sent (`data-sending`) is not kept: it
 * comes back empty, as after it was sent.
 */
export function replaceKeepingForms(el: HTMLElement, ...children: Node[]) {
  const controls = (root: HTMLElement) => {
    const seen = new Map<string, number>();
    return [...root.querySelectorAll<Control>('form input, form textarea, form select')].map((c) => {
      const form = c.closest('form')!;
      const base = `${form.className}|${c.className}|${c.getAttribute('type') ?? ''}`;
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      return { c, form, key: `${base}|${n}` };
    });
  };
  const kept = new Map<string, string | boolean>();
  let focused: string | null = null;
  for (const { c, form, key } of controls(el)) {
    if (form.dataset.sending) continue;
    kept.set(key, c instanceof HTMLInputElement && (c.type === 'checkbox' || c.type === 'radio') ? c.checked : c.value);
    if (document.activeElement === c) focused = key;
  }
  el.replaceChildren(...children);
  for (const { c, key } of controls(el)) {
    const v = kept.get(key);
    if (typeof v === 'boolean') (c as HTMLInputElement).checked = v;
    else if (v !== undefined) c.value = v;
    if (key === focused) c.focus();
  }
}

/** Runs `f` once the next frame is painted: a task posted from the
 *  animation frame runs after it is drawn. A timer backs it up (a hidden
 *  page has no animation frames); `f` runs once. */
export function afterPaint(f: () => void) {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    f();
  };
  requestAnimationFrame(() => setTimeout(run, 0));
  setTimeout(run, 100);
}
