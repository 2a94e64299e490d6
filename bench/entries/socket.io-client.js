import { io } from 'socket.io-client';

globalThis.client = io('wss://gym.example', { path: '/ws/checkins/' });
