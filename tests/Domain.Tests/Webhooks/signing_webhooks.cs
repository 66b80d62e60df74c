using System.Security.Cryptography;
using System.Text;
using AssetLedger.Application.Webhooks;
using NSec.Cryptography;

namespace AssetLedger.Domain.Tests.Webhooks;

public sealed class signing_webhooks
{
    // The Standard Webhooks specification's own test vector (its reference libraries test the same one).
    const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const string Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const long Timestamp = 1614265330;
    const string Body = "{\"test\": 2432232314}";
    static readonly DateTimeOffset Then = DateTimeOffset.FromUnixTimeSeconds(Timestamp);

    [Fact]
    public void v1_matches_the_specification_test_vector() =>
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", WebhookSignature.V1(Secret, Id, Timestamp, Body));

    [Fact]
    public void a_v1_signature_verifies_among_others_and_fails_on_any_change()
    {
        var header = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= " + WebhookSignature.V1(Secret, Id, Timestamp, Body);

        Assert.True(WebhookSignature.VerifyV1(Secret, Id, Timestamp.ToString(), Body, header, Then));
        Assert.False(WebhookSignature.VerifyV1(Secret, Id, Timestamp.ToString(), Body + " ", header, Then));
        Assert.False(WebhookSignature.VerifyV1(Secret, "msg_other", Timestamp.ToString(), Body, header, Then));
        Assert.False(WebhookSignature.VerifyV1(WebhookSignature.NewSecret(), Id, Timestamp.ToString(), Body, header, Then));
    }

    [Fact]
    public void a_stale_or_future_timestamp_is_refused()
    {
        var header = WebhookSignature.V1(Secret, Id, Timestamp, Body);

        Assert.False(WebhookSignature.VerifyV1(Secret, Id, Timestamp.ToString(), Body, header, Then.AddMinutes(5).AddSeconds(1)));
        Assert.False(WebhookSignature.VerifyV1(Secret, Id, Timestamp.ToString(), Body, header, Then.AddMinutes(-5).AddSeconds(-1)));
        Assert.True(WebhookSignature.VerifyV1(Secret, Id, Timestamp.ToString(), Body, header, Then.AddMinutes(5)));
    }

    [Fact]
    public void v1a_is_an_ed25519_signature_over_the_same_content()
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519);
        var header = WebhookSignature.V1a(m => SignatureAlgorithm.Ed25519.Sign(key, m), Id, Timestamp, Body);

        Assert.StartsWith("v1a,", header);
        Assert.True(SignatureAlgorithm.Ed25519.Verify(key.PublicKey, WebhookSignature.SignedContent(Id, Timestamp, Body), Convert.FromBase64String(header[4..])));
        Assert.True(WebhookSignature.VerifyV1a((m, s) => SignatureAlgorithm.Ed25519.Verify(key.PublicKey, m, s), Id, Timestamp.ToString(), Body, header, Then));
        Assert.False(WebhookSignature.VerifyV1a((m, s) => SignatureAlgorithm.Ed25519.Verify(key.PublicKey, m, s), Id, Timestamp.ToString(), Body + "x", header, Then));
    }

    /// <summary>The C# of docs/integrations.md ("Verifying a signature"), line for line between the markers.</summary>
    static bool DocumentedCheck(string secret, string id, string timestamp, string body, string signatureHeader)
    {
        // documented: begin
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        bool ok = signatureHeader.Split(' ').Any(s => s.StartsWith("v1,") &&
            CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(s[3..]), mac));
        // documented: end
        return ok;
    }

    [Fact]
    public void the_documented_csharp_check_is_this_code_and_verifies_the_specification_vector()
    {
        var doc = File.ReadAllText(Path.Combine(Root(), "docs", "integrations.md"));
        var block = doc[(doc.IndexOf("```csharp\n", doc.IndexOf("## Verifying a signature", StringComparison.Ordinal), StringComparison.Ordinal) + 10)..];
        var documented = Lines(block[..block.IndexOf("```", StringComparison.Ordinal)]);
        var source = File.ReadAllText(Path.Combine(Root(), "tests", "Domain.Tests", "Webhooks", "signing_webhooks.cs"));
        var begin = source.IndexOf("// documented: begin", StringComparison.Ordinal);
        Assert.Equal(documented, Lines(source[(source.IndexOf('\n', begin) + 1)..source.IndexOf("// documented: end", StringComparison.Ordinal)]));

        var header = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= " + WebhookSignature.V1(Secret, Id, Timestamp, Body);
        Assert.True(DocumentedCheck(Secret, Id, Timestamp.ToString(), Body, header));
        Assert.False(DocumentedCheck(Secret, Id, Timestamp.ToString(), Body + " ", header));
        Assert.False(DocumentedCheck(Secret, "msg_other", Timestamp.ToString(), Body, header));
    }

    static List<string> Lines(string text) => text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();

    static string Root()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "AssetLedger.sln"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("AssetLedger.sln not found above the test binaries.");
    }
}
