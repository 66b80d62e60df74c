using System.Security.Cryptography;
using AssetLedger.Ledger.Devices;

using static AssetLedger.Ledger.Tests.Devices.DeviceFixture;

namespace AssetLedger.Ledger.Tests.Devices;

/// <summary>
/// The registry's pool of imported device keys (issue 18): a key given back is lent again instead of imported anew (the
/// import cost nearly half a verification per single-reading message), two threads never hold the same copy, and a
/// rotated key is another entry, so a reading is only ever verified under the exact key it is checked against.
/// </summary>
public sealed class verification_keys_are_imported_once_per_key
{
    readonly ECDsa _first = ECDsa.Create(ECCurve.NamedCurves.nistP256), _second = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    static bool Holds(ECDsa key, string message) => SignedReadings.Verify(SignedReadings.Open(message).Message!, key);

    static string Message(ECDsa key, long counter) => SignedReadings.Sign(key, Device, counter, T0, Receipt.ToString(), Weight);

    [Fact]
    public void a_key_given_back_is_lent_again_not_imported_again()
    {
        var keys = new VerificationKeys();
        var lent = keys.Rent(Spki(_first));
        keys.Return(Spki(_first), lent);

        var again = keys.Rent(Spki(_first));

        Assert.Same(lent, again);
        Assert.True(Holds(again!, Message(_first, 1)));
    }

    [Fact]
    public void a_copy_in_use_is_never_lent_to_another_thread()
    {
        var keys = new VerificationKeys();
        var one = keys.Rent(Spki(_first));
        var two = keys.Rent(Spki(_first));

        Assert.NotSame(one, two);
        keys.Return(Spki(_first), one);
        keys.Return(Spki(_first), two);
        Assert.NotSame(keys.Rent(Spki(_first)), keys.Rent(Spki(_first)));
    }

    [Fact]
    public void a_rotated_key_never_verifies_under_the_old_one()
    {
        var keys = new VerificationKeys();
        keys.Return(Spki(_first), keys.Rent(Spki(_first)));

        var rotated = keys.Rent(Spki(_second));

        Assert.True(Holds(rotated!, Message(_second, 2)));
        Assert.False(Holds(rotated!, Message(_first, 2)));
    }

    [Fact]
    public void an_unreadable_key_is_lent_as_none()
    {
        var keys = new VerificationKeys();

        Assert.Null(keys.Rent("not a key"));
        keys.Return("not a key", null);
    }
}
