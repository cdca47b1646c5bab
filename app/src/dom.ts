// A few lines instead of a UI framework: elements from a tag, attributes and children.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Array<Child | Child[]>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === "function") {
      el.addEventListener(name.replace(/^on/, "").toLowerCase(), value);
    } else if (value === true) {
      el.setAttribute(name, "");
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Array<Child | Child[]>): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** A `{name}` template filled with text or nodes (e.g. an emphasised institution name). */
export function fill(template: string, params: Record<string, Child>): Node[] {
  const out: Node[] = [];
  let last = 0;
  for (const m of template.matchAll(/\{(\w+)\}/g)) {
    out.push(document.createTextNode(template.slice(last, m.index)));
    const value = params[m[1]];
    if (value instanceof Node) out.push(value);
    else out.push(document.createTextNode(value === null || value === undefined || value === false ? m[0] : String(value)));
    last = (m.index ?? 0) + m[0].length;
  }
  out.push(document.createTextNode(template.slice(last)));
  return out;
}
