// The app itself, loaded by main.ts once it has asked for the first screen's data.
import { mount } from "svelte";
import App from "./App.svelte";

export function start(target: HTMLElement) {
  return mount(App, { target });
}
