using System.Diagnostics;
using System.DirectoryServices.Protocols;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ScimBridge.Testing;

/// <summary>How a <see cref="SlapdServer"/> starts.</summary>
public sealed record SlapdOptions
{
    /// <summary>Also listen on ldaps:// and offer StartTLS, with a certificate from a CA made for this server.</summary>
    public bool Tls { get; init; }

    /// <summary>LDIF loaded with slapadd into the empty database before slapd starts (fast bulk loads).</summary>
    public string? SeedLdifPath { get; init; }

    /// <summary>
    /// Log every operation (slapd's <c>stats</c> level) so that <see cref="SlapdServer.SearchesAnswered"/> counts them:
    /// a test can wait until a client is part way through a read instead of guessing how long that takes.
    /// </summary>
    public bool CountSearches { get; init; }
}

/// <summary>
/// A real OpenLDAP slapd on 127.0.0.1 with free ports, an mdb database for dc=example,dc=org and the core, cosine,
/// inetorgperson and nis schemas, in a directory of its own; killed and removed on dispose. Needs /usr/sbin/slapd
/// (Debian: apt-get install slapd ldap-utils; scripts/test.sh installs them).
/// </summary>
public sealed class SlapdServer : IDisposable
{
    public const string Suffix = "dc=example,dc=org";
    public const string AdminDn = "cn=admin,dc=example,dc=org";
    public const string AdminPassword = "admin-secret";
    private const string SlapdPath = "/usr/sbin/slapd";

    private readonly string _directory;
    private readonly string _configPath;
    private readonly string _listenUrls;
    private readonly string _debugLevel;
    private readonly StringBuilder _log = new();
    private long _searchesAnswered;
    private Process? _process;
    private LdapConnection? _admin;

    private SlapdServer(string directory, int port, int? tlsPort, bool countSearches)
    {
        // 256 is slapd's "stats" level: one line per connection and operation.
        _debugLevel = countSearches ? "256" : "0";
        _directory = directory;
        _configPath = Path.Combine(directory, "slapd.conf");
        Port = port;
        TlsPort = tlsPort;
        _listenUrls = tlsPort is null ? $"ldap://127.0.0.1:{port}/" : $"ldap://127.0.0.1:{port}/ ldaps://127.0.0.1:{tlsPort}/";
    }

    public int Port { get; }
    public int? TlsPort { get; }
    public string Url => $"ldap://127.0.0.1:{Port}";
    public string LdapsUrl => $"ldaps://127.0.0.1:{TlsPort ?? throw new InvalidOperationException("started without TLS")}";

    /// <summary>PEM file of the CA that signed the server certificate (TLS servers only).</summary>
    public string CaCertificatePath => Path.Combine(_directory, "ca.pem");

    /// <summary>The slapd process id while it runs.</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("slapd is not running");

    public static async Task<SlapdServer> StartAsync(SlapdOptions? options = null)
    {
        options ??= new SlapdOptions();
        if (!File.Exists(SlapdPath))
        {
            throw new InvalidOperationException($"{SlapdPath} is missing: apt-get install slapd ldap-utils (scripts/test.sh does it).");
        }
        // A directory under the working tree's temp area; on systems whose AppArmor profile confines slapd to its own
        // paths, point TMPDIR at a directory slapd may use.
        var directory = Path.Combine(Path.GetTempPath(), "scimbridge-slapd-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "db"));
        var server = new SlapdServer(directory, FreePort(), options.Tls ? FreePort() : null, options.CountSearches);
        try
        {
            if (options.Tls)
            {
                server.WriteCertificates();
            }
            server.WriteConfig(options.Tls);
            if (options.SeedLdifPath is not null)
            {
                await RunToolAsync("/usr/sbin/slapadd", $"-q -f {server._configPath} -l {options.SeedLdifPath}");
            }
            await server.StartProcessAsync();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Starts slapd again after <see cref="Stop"/>, on the same ports and data.</summary>
    public Task RestartAsync() => StartProcessAsync();

    /// <summary>Kills slapd: the port refuses connections until <see cref="RestartAsync"/>.</summary>
    public void Stop()
    {
        _admin?.Dispose();
        _admin = null;
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }
        _process?.Dispose();
        _process = null;
    }

    /// <summary>Freezes slapd (SIGSTOP): connections are accepted by the kernel but nothing answers.</summary>
    public void Pause() => Signal("STOP");

    /// <summary>Lets a paused slapd go on (SIGCONT).</summary>
    public void Resume() => Signal("CONT");

    public void Add(string dn, params (string Name, string[] Values)[] attributes)
    {
        var request = new AddRequest(dn);
        foreach (var (name, values) in attributes)
        {
            request.Attributes.Add(new DirectoryAttribute(name, values.Cast<object>().ToArray()));
        }
        Send(request);
    }

    /// <summary>
    /// Sends an admin request; a connection libldap reports as gone (code 81, seen under heavy load) is opened again
    /// once, so that seeding a tree does not fail a test that is about something else.
    /// </summary>
    private void Send(DirectoryRequest request)
    {
        try
        {
            Admin().SendRequest(request);
        }
        catch (LdapException e) when (e.ErrorCode == 81)
        {
            _admin?.Dispose();
            _admin = null;
            try
            {
                Admin().SendRequest(request);
            }
            catch (DirectoryOperationException again) when (request is AddRequest && again.Response?.ResultCode == ResultCode.EntryAlreadyExists)
            {
                // The first attempt was carried out before its answer was lost.
            }
        }
    }

    public void Replace(string dn, string attribute, params string[] values) =>
        Modify(dn, DirectoryAttributeOperation.Replace, attribute, values);

    public void AddValues(string dn, string attribute, params string[] values) =>
        Modify(dn, DirectoryAttributeOperation.Add, attribute, values);

    public void RemoveValues(string dn, string attribute, params string[] values) =>
        Modify(dn, DirectoryAttributeOperation.Delete, attribute, values);

    public void Delete(string dn) => Send(new DeleteRequest(dn));

    /// <summary>modrdn: a new RDN and optionally a new parent.</summary>
    public void Rename(string dn, string newRdn, string? newParent = null) =>
        Send(new ModifyDNRequest(dn, newParent ?? dn[(dn.IndexOf(',', StringComparison.Ordinal) + 1)..], newRdn) { DeleteOldRdn = true });

    /// <summary>One attribute's first value, read as the admin (operational attributes such as entryUUID included).</summary>
    public string? Read(string dn, string attribute)
    {
        var response = (SearchResponse)Admin().SendRequest(new SearchRequest(dn, "(objectClass=*)", SearchScope.Base, attribute));
        var values = response.Entries[0].Attributes[attribute];
        return values is { Count: > 0 } ? (string)values.GetValues(typeof(string))[0] : null;
    }

    /// <summary>Search requests slapd has answered so far (each page of a paged search is one); needs <see cref="SlapdOptions.CountSearches"/>.</summary>
    public long SearchesAnswered => Interlocked.Read(ref _searchesAnswered);

    /// <summary>What slapd wrote to stderr, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public void Dispose()
    {
        Stop();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A later run's temp clean-up takes it.
        }
    }

    private void Modify(string dn, DirectoryAttributeOperation operation, string attribute, string[] values)
    {
        var change = new DirectoryAttributeModification { Name = attribute, Operation = operation };
        foreach (var value in values)
        {
            change.Add(value);
        }
        Send(new ModifyRequest(dn, change));
    }

    private LdapConnection Admin()
    {
        if (_admin is null)
        {
            _admin = new LdapConnection(new LdapDirectoryIdentifier("127.0.0.1", Port), new NetworkCredential(AdminDn, AdminPassword), AuthType.Basic)
            {
                AutoBind = true,
                Timeout = TimeSpan.FromSeconds(30),
            };
            _admin.SessionOptions.ProtocolVersion = 3;
            _admin.Bind();
        }
        return _admin;
    }

    private async Task StartProcessAsync()
    {
        var start = new ProcessStartInfo(SlapdPath)
        {
            // -d keeps slapd in the foreground (a child we can kill); level 0 writes no debug output.
            ArgumentList = { "-f", _configPath, "-h", _listenUrls, "-d", _debugLevel },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("slapd did not start");
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"slapd exited with {_process.ExitCode}: {Log}");
            }
            if (await AnswersAsync(Port))
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new InvalidOperationException($"slapd did not listen on {Port} within 20 s: {Log}");
    }

    private static async Task<bool> AnswersAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void WriteConfig(bool tls)
    {
        var config = new StringBuilder();
        foreach (var schema in new[] { "core", "cosine", "inetorgperson", "nis" })
        {
            config.AppendLine($"include /etc/ldap/schema/{schema}.schema");
        }
        config.AppendLine("modulepath /usr/lib/ldap");
        config.AppendLine("moduleload back_mdb");
        config.AppendLine($"pidfile {Path.Combine(_directory, "slapd.pid")}");
        config.AppendLine("sizelimit unlimited");
        if (tls)
        {
            config.AppendLine($"TLSCACertificateFile {CaCertificatePath}");
            config.AppendLine($"TLSCertificateFile {Path.Combine(_directory, "server.pem")}");
            config.AppendLine($"TLSCertificateKeyFile {Path.Combine(_directory, "server.key")}");
        }
        config.AppendLine("database mdb");
        config.AppendLine("maxsize 4294967296");
        config.AppendLine($"suffix \"{Suffix}\"");
        config.AppendLine($"rootdn \"{AdminDn}\"");
        config.AppendLine($"rootpw {AdminPassword}");
        config.AppendLine($"directory {Path.Combine(_directory, "db")}");
        config.AppendLine("index objectClass,entryUUID eq");
        config.AppendLine("index uid,member eq");
        File.WriteAllText(_configPath, config.ToString());
    }

    /// <summary>A CA and a server certificate for 127.0.0.1 / localhost signed by it, as PEM files slapd reads.</summary>
    private void WriteCertificates()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=ScimBridge test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var now = TimeProvider.System.GetUtcNow();
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));

        using var serverKey = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = request.Create(ca, now.AddDays(-1), now.AddYears(1), RandomNumberGenerator.GetBytes(16));

        File.WriteAllText(CaCertificatePath, ca.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(_directory, "server.pem"), server.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(_directory, "server.key"), serverKey.ExportPkcs8PrivateKeyPem() + "\n");
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", $"-{signal} {ProcessId}");
        kill.WaitForExit();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        if (line.Contains(" SEARCH RESULT ", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _searchesAnswered);
            return;
        }
        if (line.Contains(" conn=", StringComparison.Ordinal))
        {
            // The other per-operation lines of the stats level: counted nowhere, kept out of the failure log.
            return;
        }
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private static async Task RunToolAsync(string path, string arguments)
    {
        using var tool = Process.Start(new ProcessStartInfo(path, arguments) { RedirectStandardError = true, UseShellExecute = false })
            ?? throw new InvalidOperationException($"{path} did not start");
        var errors = await tool.StandardError.ReadToEndAsync();
        await tool.WaitForExitAsync();
        if (tool.ExitCode != 0)
        {
            throw new InvalidOperationException($"{path} {arguments} failed ({tool.ExitCode}): {errors}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
