#!/usr/bin/env node
// The read-only gateway for public pages: `gym-realtime-gateway --help`.
import { main } from '../dist/index.js';

await main();
