using AssetLedger.Ledger.Anchors;

namespace AssetLedger.Ledger.Tests.Anchors;

/// <summary>EIP-55's own examples: the offline verifier checks a receipt's contract address without a chain client.</summary>
public sealed class evm_address_checksums
{
    public static TheoryData<string> Checksummed => new()
    {
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77",
        "0x27b1fdb04752bbc536007a920d24acb045561c26",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    };

    [Theory, MemberData(nameof(Checksummed))]
    public void an_address_as_eip_55_writes_it_has_a_valid_checksum(string address) =>
        Assert.True(EvmAddress.HasValidChecksum(address));

    [Theory, MemberData(nameof(Checksummed))]
    public void the_same_address_with_one_letter_in_the_other_case_has_not(string address)
    {
        var letter = address.IndexOfAny("abcdefABCDEF".ToCharArray(), 2);
        var flipped = address[..letter] + (char.IsUpper(address[letter]) ? char.ToLowerInvariant(address[letter]) : char.ToUpperInvariant(address[letter])) + address[(letter + 1)..];

        Assert.False(EvmAddress.HasValidChecksum(flipped));
    }
}
