using AssetLedger.Application.Ports;
using AssetLedger.Domain.Devices.Alarms;
using AssetLedger.Ledger.Serialization;

namespace AssetLedger.Application.Devices.Alarms;

/// <summary>
/// The rule book as this instance last folded it, caught up from its stream on every load (one indexed read that
/// usually finds nothing new), so a rule the operator changed on another instance applies here from its next batch.
/// </summary>
public sealed class AlarmRuleBooks(IEventStore store)
{
    AlarmRuleBook _book = AlarmRuleBook.Empty;
    readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<AlarmRuleBook> Load(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            while (true)
            {
                var events = await store.ReadStream(AlarmRuleDecider.Stream, _book.Version + 1, 500, ct);
                foreach (var e in events) _book = AlarmRuleBook.Evolve(_book, (IAlarmRuleEvent)EventSerializer.Instance.Deserialize(e.Type, e.Data));
                if (events.Count < 500) return _book;
            }
        }
        finally { _gate.Release(); }
    }
}
