import { WebSocket } from 'partysocket';

globalThis.client = new WebSocket('wss://gym.example/ws/checkins/');
