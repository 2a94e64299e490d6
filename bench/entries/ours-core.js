import { RealtimeClient } from '../../src/core/index.ts';

globalThis.client = new RealtimeClient({ url: 'wss://gym.example/ws/checkins/', tokenUrl: '/api/token/' });
