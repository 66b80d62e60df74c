using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Formatter;

namespace AssetLedger.Infrastructure.Devices;

/// <summary>Options under AssetLedger:Mqtt. The registry subscribes only when <see cref="Url"/> is set.</summary>
public sealed class MqttOptions
{
    /// <summary>The broker, <c>mqtt://host:port</c>, or <c>mqtts://host:port</c> for TLS.</summary>
    public string? Url { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }
    /// <summary>
    /// TLS (an <c>mqtts://</c> <see cref="Url"/>): the CA that signed the broker's certificate (PEM), trusted for this
    /// connection only; without it the machine's trust store decides.
    /// </summary>
    public string? CaFile { get; set; }
    /// <summary>TLS: this instance's client certificate (PEM), for a broker that requires one (Mosquitto's require_certificate).</summary>
    public string? CertificateFile { get; set; }
    /// <summary>TLS: the client certificate's private key (PEM, unencrypted), readable only by the service's user.</summary>
    public string? KeyFile { get; set; }

    /// <summary>The TLS files these options name (all null for a plain connection).</summary>
    public MqttTls TlsFiles => new(CaFile, CertificateFile, KeyFile);
    /// <summary>
    /// This instance's client id, stable across restarts: the broker keeps its session (subscription and unacknowledged
    /// readings) under it while it is away. Each instance needs its own; the default suits one instance per host.
    /// </summary>
    public string ClientId { get; set; } = "assetledger-" + Environment.MachineName.ToLowerInvariant();
    /// <summary>
    /// The shared subscription's group (MQTT 5 <c>$share/{group}/…</c>) when several instances split the readings between
    /// them; empty (the default, one instance): a plain subscription. Mosquitto 2.0.11 (Debian 12) does not restore shared
    /// subscriptions from its persistence file, so after a broker restart a shared group receives nothing until its
    /// instances reconnect; a plain subscription is restored and loses nothing (docs/devices.md).
    /// </summary>
    public string SharedGroup { get; set; } = "";
    /// <summary>How long the broker keeps this instance's session while it is disconnected.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(7);
    /// <summary>Readings the broker may have in flight to this instance, unacknowledged (MQTT 5 Receive Maximum).</summary>
    public ushort ReceiveMaximum { get; set; } = 1000;
    /// <summary>
    /// Devices whose readings are recorded at once. Their appends meet in the event store's group commit (up to 512 a
    /// transaction), so this is how many devices' readings one transaction can hold: with 8, a thousand devices each
    /// publishing single readings took a transaction per 8 readings.
    /// </summary>
    public int Parallelism { get; set; } = 512;

    /// <summary>
    /// How long a reading whose counter skips ahead of the device's log waits for the readings before it, which another
    /// instance of the shared subscription may hold; after that it is recorded (a real gap raises its alarm).
    /// </summary>
    public TimeSpan ReorderWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The topic filter this instance subscribes to.</summary>
    public string Filter => string.IsNullOrEmpty(SharedGroup) ? ReadingTopics.Filter : $"$share/{SharedGroup}/{ReadingTopics.Filter}";

    /// <summary>
    /// Connection options for an MQTT 5 client of this broker (the registry, the simulator and the tests). An
    /// <c>mqtts://</c> URL speaks TLS (1.2 or 1.3), presenting the client certificate when <paramref name="tls"/> names one
    /// and trusting the broker's certificate only when it chains to <see cref="MqttTls.CaFile"/> (or, without one, to the
    /// machine's trust store) and names the host dialled.
    /// </summary>
    public static MqttClientOptionsBuilder Connection(string url, string? username, string? password, string clientId, MqttTls? tls = null)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithConnectionUri(url)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15));
        if (url.StartsWith("mqtts://", StringComparison.OrdinalIgnoreCase)) builder = builder.WithTlsOptions(o => ConfigureTls(o, tls ?? new MqttTls(null, null, null)));
        return username is null ? builder : builder.WithCredentials(username, password ?? "");
    }

    static void ConfigureTls(MqttClientTlsOptionsBuilder o, MqttTls tls)
    {
        o.UseTls().WithSslProtocols(System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13);
        if (tls.CertificateFile is not null)
            o.WithClientCertificates([X509Certificate2.CreateFromPemFile(tls.CertificateFile, tls.KeyFile)]);
        if (tls.CaFile is not null)
        {
            // Only this CA vouches for the broker: a certificate the machine trusts but this CA did not sign is refused.
            var ca = X509CertificateLoader.LoadCertificateFromFile(tls.CaFile);
            o.WithCertificateValidationHandler(e =>
            {
                if (e.SslPolicyErrors.HasFlag(System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch) || e.Certificate is null) return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(e.Certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(e.Certificate.GetRawCertData()));
            });
        }
    }
}

/// <summary>The PEM files of an MQTT TLS connection: the broker's CA, the client's certificate and its key (each optional).</summary>
public sealed record MqttTls(string? CaFile, string? CertificateFile, string? KeyFile);
