using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Registrations;

/// <summary>A registration's identity; its event stream is <c>registration-{Value:N}</c>.</summary>
public readonly record struct RegistrationId(Guid Value)
{
    public static RegistrationId New() => new(Guid.CreateVersion7());
    public string StreamId => $"{StreamPrefix}{Value:N}";
    public const string StreamPrefix = "registration-";
    public override string ToString() => Value.ToString("N");

    public static bool TryParse(string? text, out RegistrationId id)
    {
        id = default;
        if (!Guid.TryParse(text, out var g) || g == Guid.Empty) return false;
        id = new RegistrationId(g);
        return true;
    }
}

/// <summary>The debtor (担保人) a registration names: its name and unified social credit code (统一社会信用代码).</summary>
public sealed record DebtorParty(string Name, string CreditCode);

public enum CollateralKind
{
    /// <summary>An asset of this registry, named by its id.</summary>
    RegistryAsset,
    /// <summary>A debtor's receivables (of a period), described.</summary>
    Receivables,
    /// <summary>Equipment or other movables, described.</summary>
    Equipment,
    Other,
}

/// <summary>What the security interest is over: an asset of this registry, or a description of collateral outside it.</summary>
public sealed record Collateral(CollateralKind Kind, AssetId? Asset, string? Description);

/// <summary>In which capacity a participant disputes a registration (异议): as the debtor it names, or as an interested party (利害关系人).</summary>
public enum DisputeCapacity { Debtor, InterestedParty }

/// <summary>Every limit on a registration command, in one place; the decider enforces them and the Api publishes them.</summary>
public static class RegistrationLimits
{
    /// <summary>A term is 1 month to 30 years (中登网: 1–30 years, months allowed), as is each extension.</summary>
    public const int MinTermMonths = 1;
    public const int MaxTermMonths = 360;

    /// <summary>A dispute lapses this long after it was recorded unless a court case number is added.</summary>
    public static readonly TimeSpan DisputeLapse = TimeSpan.FromDays(30);

    /// <summary>
    /// Entries (registrations, then pledges) a search certificate proves in full by default, and at most: a debtor with
    /// hundreds of registrations gets its answer in pages, each signed and listing every match, so a page stays small and fast.
    /// </summary>
    public const int CertificatePageSize = 25;
    public const int MaxCertificatePageSize = 100;

    public const int Name = 200;
    public const int Description = 2000;
    public const int Reason = 2000;
    public const int CaseNumber = 100;

    /// <summary>RG-YYYYMMDD-NNNNNNNN: the day it was made and eight digits.</summary>
    public const string NumberPattern = "^RG-[0-9]{8}-[0-9]{8}$";
    public const int NumberLength = 20;
}
