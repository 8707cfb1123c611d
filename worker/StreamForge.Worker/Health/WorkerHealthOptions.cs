namespace StreamForge.Worker.Health;

public sealed class WorkerHealthOptions
{
    /// <summary>Same section as the other worker settings: Worker:HealthHost, Worker:HealthPort.</summary>
    public const string Section = "Worker";

    /// <summary>Address the health/metrics listener binds (0.0.0.0 in a container so the kubelet can probe it).</summary>
    public string HealthHost { get; set; } = "127.0.0.1";
    /// <summary>First port tried; the next ones are tried when it is taken (several workers on one host). 0 = any free port.</summary>
    public int HealthPort { get; set; } = 8090;
    /// <summary>How many consecutive ports are tried before giving up.</summary>
    public int HealthPortAttempts { get; set; } = 20;
}
