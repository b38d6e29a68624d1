#!/usr/bin/env node
import {startEarly} from '../cli/early-start.js';

const argv = process.argv.slice(2);
startEarly(argv);
// Loaded after the start above, so that it overlaps the loading.
const {main} = await import('../cli/main.js');
await main(argv);
