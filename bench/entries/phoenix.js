import { Socket } from 'phoenix';

const socket = new Socket('wss://gym.example/socket');
socket.connect();
globalThis.client = socket.channel('gym:checkins');
