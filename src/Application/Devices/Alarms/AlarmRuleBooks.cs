using AssetLedger.Application.Ports;
using AssetLedger.Domain.Devices.Alarms;
using AssetLedger.Ledger.Serialization;

namespace AssetLedger.Application.Devices.Alarms;

/// <summary>
/// The rule book as this instance last folded it, caught up from its stream on every load (one indexed read that
/// usually finds nothing new), so a rule the operator changed on another instance applies here from its next batch.
/// Loads at once share reads: a load is answered by the first read that started after it was asked for, so hundreds of
/// devices' batches recorded together wait for one or two reads, not one each in a row (which, behind the one gate,
/// was a read per reading and the ceiling of single-reading throughput).
/// </summary>
public sealed class AlarmRuleBooks(IEventStore store)
{
    AlarmRuleBook _book = AlarmRuleBook.Empty;
    readonly SemaphoreSlim _gate = new(1, 1);
    /// <summary>Reads started, and the number of the last one that finished; both change only under the gate.</summary>
    long _started, _finished;

    public async Task<AlarmRuleBook> Load(CancellationToken ct)
    {
        var asked = Volatile.Read(ref _started);
        await _gate.WaitAsync(ct);
        try
        {
            // A read that started after this load was asked for has finished meanwhile: it saw everything this one would.
            if (_finished > asked) return _book;
            var read = ++_started;
            while (true)
            {
                var events = await store.ReadStream(AlarmRuleDecider.Stream, _book.Version + 1, 500, ct);
                foreach (var e in events) _book = AlarmRuleBook.Evolve(_book, (IAlarmRuleEvent)EventSerializer.Instance.Deserialize(e.Type, e.Data));
                if (events.Count < 500) break;
            }
            _finished = read;
            return _book;
        }
        finally { _gate.Release(); }
    }
}
