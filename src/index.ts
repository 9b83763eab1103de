/** The Action's entry point (action.yml `main: dist/index.js`): it only runs the adapter. */
import { run } from './main.js';

await run();
