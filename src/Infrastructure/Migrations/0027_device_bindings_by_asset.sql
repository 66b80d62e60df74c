-- Issue 18: an asset's evidence bundle carries the streams of the devices that watched it. The bindings are found in the
-- log itself (no table to keep in step with it): this index answers "which devices were bound to these assets" without
-- reading every event, of which most are readings.
CREATE INDEX events_device_bound_asset ON events ((data->>'asset')) WHERE type = 'device-bound';
