namespace AssetLedger.Domain.Participants;

/// <summary>
/// The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a 31-character alphabet
/// (digits and capitals without I, O, Z, S, V); the last is a check character, 31 − (Σ value·weight mod 31),
/// with weights 3^(i−1) mod 31 for positions 1–17.
/// </summary>
public static class CreditCode
{
    const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    /// <summary>The shape (not the check character), as the OpenAPI document publishes it.</summary>
    public const string Pattern = "^[0-9A-HJ-NPQRTUWXY]{18}$";
    static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    public static bool IsValid(string? code)
    {
        if (code is null || code.Length != 18) return false;
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var v = Alphabet.IndexOf(code[i]);
            if (v < 0) return false;
            sum += v * Weights[i];
        }
        var check = (31 - sum % 31) % 31;
        return code[17] == Alphabet[check];
    }

    /// <summary>The check character for 17 leading characters (test data, seeding).</summary>
    public static char CheckCharacter(string first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += Alphabet.IndexOf(first17[i]) * Weights[i];
        return Alphabet[(31 - sum % 31) % 31];
    }
}
