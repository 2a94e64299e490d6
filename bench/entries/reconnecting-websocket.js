import ReconnectingWebSocket from 'reconnecting-websocket';

globalThis.client = new ReconnectingWebSocket('wss://gym.example/ws/checkins/');
