-- Issue 18: the silence sweep lists every device. It read them from the streams table, which migration 0008 dropped,
-- so every sweep failed. A device exists once its device-registered event (its stream's first) is logged: this index
-- lists them in id order without reading the readings.
CREATE INDEX events_device_registered ON events ((stream_id COLLATE "C")) WHERE type = 'device-registered';
