// The mini-program hand-off, needed only inside a mini-program's web-view: in the ES builds a
// chunk of its own. The script-tag build takes `mini-program.static.ts` instead (vite.lib.config.ts).
export const loadMiniProgram = () => import('../perform/mini-program.js');
