/** Injected by `defineConstants` in config/index.ts from WX_SUBSCRIBE_TEMPLATE_IDS (empty when unset). */
declare const SUBSCRIBE_TEMPLATE_IDS: string[];
