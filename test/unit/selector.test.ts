import { beforeEach, describe, expect, it } from 'vitest';
import { selector } from '../../src/collect/selector';

const $ = (css: string) => document.querySelector(css)!;

describe('selector', () => {
  beforeEach(() => {
    document.body.innerHTML = `
      <section data-telltale-name="checkout"><div><button id="pay"><span id="icon">Pay</span></button></div></section>
      <nav id="main"><a class="link css-1x2y3z" href="/x">x</a></nav>
      <div class="card"><ul><li><a id=":r1:" class="btn primary Button_root__3xK2a sc-bdVaJa extra">go</a></li></ul></div>
      <button data-testid="buy-now" id="ember1234">buy</button>
      <div role="button" class="chip" id="user-jane@example.com">chip</div>
      <span id="order-88012345" data-cy="jane@example.com" class="tag"></span>
      <form id="f"><input id="email" type="email" name="email"><input type="text" class="field"></form>
    `;
  });

  it('uses data-telltale-name of the element or its nearest ancestor', () => {
    expect(selector($('#icon'))).toBe('checkout');
    expect(selector($('#pay'))).toBe('checkout');
  });

  it('stops at the first ancestor with a stable id', () => {
    expect(selector($('nav a'))).toBe('nav#main > a.link');
  });

  it('leaves out generated ids and classes, and goes at most 3 levels up', () => {
    expect(selector($('li a'))).toBe('ul > li > a.btn.primary');
  });

  it('prefers a test attribute to a generated id', () => {
    expect(selector($('[data-testid]'))).toBe('button[data-testid="buy-now"]');
  });

  it('leaves out ids and attributes holding personal data, keeps the role', () => {
    expect(selector($('[role=button]'))).toBe('div[role=button].chip');
    expect(selector($('span.tag'))).toBe('span.tag');
  });

  it('names form fields by id or type, never by value', () => {
    ($('#email') as HTMLInputElement).value = 'jane@example.com';
    expect(selector($('#email'))).toBe('input#email');
    expect(selector($('input.field'))).toBe('form#f > input[type=text].field');
  });
});
