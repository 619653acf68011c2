// The script-tag build's `mini-program.ts`: the hand-off inside the one file.
import * as miniProgram from '../perform/mini-program.js';

export const loadMiniProgram = () => Promise.resolve(miniProgram);
