using System.Security.Cryptography;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Devices;
using AssetLedger.Ledger.Devices;

namespace AssetLedger.Ledger.Tests.Devices;

/// <summary>The device, parties, receipt, clock and measurement the device-history tests share, and a key's SPKI and id.</summary>
static class DeviceFixture
{
    public const string Device = "wb-1";
    public static readonly ParticipantId Warehouse = new("wh-1"), Bank = new("bank-1");
    public static readonly AssetId Receipt = new(Guid.Parse("0193a1b2-0000-7000-8000-000000000001"));
    public static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_796_000_000_000);
    public static readonly Measurements Weight = new() { Weight = "1200.5", Unit = "bbl" };

    public static string Spki(ECDsa key) => Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
    public static string IdOf(ECDsa key) => SignedReadings.KeyIdOf(Spki(key))!;
}
