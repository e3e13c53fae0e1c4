/**
 * Layout and labelling checks the browser tests share: unlabelled inputs, anything sticking
 * out past a width, text sticking out of its box, touch targets that are too small.
 */
import type { Page } from "playwright-core";

/** Evaluates `expression` in the page; a string, since tests compile without the DOM lib. */
export function inPage<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

/** Inputs (other than hidden ones) that no label names. */
export function unlabelledInputs(page: Page): Promise<string[]> {
  return inPage<string[]>(
    page,
    `[...document.querySelectorAll("input, select, textarea")]
      .filter((el) => el.type !== "hidden" && el.labels.length === 0 && !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby"))
      .map((el) => el.outerHTML)`,
  );
}

/** Elements and text runs sticking out past `width` CSS pixels (visually hidden text excepted). */
export function overflowing(page: Page, width: number): Promise<string[]> {
  return inPage<string[]>(
    page,
    `(() => {
      const found = [];
      const describe = (el) => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).trim().split(/\\s+/).join(".") : "");
      for (const el of document.querySelectorAll("body *")) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > ${width} + 0.5) found.push(describe(el) + " right=" + Math.round(r.right));
      }
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent.trim()) continue;
        let clip = node.parentElement;
        while (clip && getComputedStyle(clip).overflowX === "visible") clip = clip.parentElement;
        if (clip && clip !== document.documentElement && clip !== document.body && clip.getBoundingClientRect().right <= ${width} + 0.5) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const r = range.getBoundingClientRect();
        if (r.width > 0 && r.right > ${width} + 0.5) found.push("text " + JSON.stringify(node.textContent.trim().slice(0, 60)) + " in " + describe(node.parentElement) + " right=" + Math.round(r.right));
      }
      return found;
    })()`,
  );
}

/** Text runs that stick out of the box they are in (a panel, a row, the notice, the card). */
export function outsideTheirBox(page: Page): Promise<string[]> {
  return inPage<string[]>(
    page,
    `(() => {
      const found = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent.trim() || node.parentElement.closest(".visually-hidden, .skip-link, input, button")) continue;
        const box = node.parentElement.closest(".notice, .rows > li, .panel, .card, .page, .topbar");
        if (!box) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const r = range.getBoundingClientRect();
        const b = box.getBoundingClientRect();
        if (r.width > 0 && (r.right > b.right + 0.5 || r.left < b.left - 0.5)) {
          found.push(JSON.stringify(node.textContent.trim().slice(0, 60)) + " sticks out of ." + String(box.className || box.tagName).trim().split(/\\s+/).join(".") + " by " + Math.round(r.right - b.right) + "px");
        }
      }
      return found;
    })()`,
  );
}

/** Buttons and button-like links smaller than `min` CSS pixels high (touch targets). */
export function smallTargets(page: Page, min: number): Promise<string[]> {
  return inPage<string[]>(
    page,
    `[...document.querySelectorAll("main button, main a.button")]
      .filter((el) => el.getBoundingClientRect().height < ${min})
      .map((el) => el.innerText.trim() + " " + Math.round(el.getBoundingClientRect().height) + "px")`,
  );
}

export const activeElementId = (page: Page) => inPage<string>(page, "document.activeElement.id");
