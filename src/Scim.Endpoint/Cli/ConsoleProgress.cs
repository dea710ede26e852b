using System.Globalization;
using ScimBridge.Model.Commands;
using Spectre.Console;

namespace ScimBridge.Scim.Cli;

/// <summary>
/// Progress of a long command on standard error: a live bar (Spectre.Console) on a terminal; when standard error is a
/// pipe or a file, a plain line every <c>interval</c> while a step runs (<c>Applying mapping: 4,000 of 16,800 users (23 %), 6 s</c>)
/// and one when a step that printed such lines ends. Quick steps print nothing.
/// </summary>
public sealed class ConsoleProgress(TextWriter error, bool interactive, TimeProvider clock, TimeSpan interval) : ICommandProgress
{
    private readonly TextWriter _error = error;
    private readonly Lock _gate = new();
    private bool _liveActive;

    public static ConsoleProgress ForStandardError(TimeProvider clock) =>
        new(Console.Error, !Console.IsErrorRedirected && AnsiConsole.Profile.Capabilities.Interactive, clock, TimeSpan.FromSeconds(5));

    public ICommandProgressStep Start(string description, long? total = null, string unit = "items")
    {
        if (interactive)
        {
            lock (_gate)
            {
                // One live display at a time; a step started inside another is reported in plain lines.
                if (!_liveActive)
                {
                    _liveActive = true;
                    return new LiveStep(this, description, total, unit);
                }
            }
        }

        return new PlainStep(_error, clock, interval, description, total, unit);
    }

    private void LiveEnded()
    {
        lock (_gate)
        {
            _liveActive = false;
        }
    }

    internal static string Count(long done, long? total, string unit) => total is { } t and > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{done:N0} of {t:N0} {unit} ({Math.Min(100, done * 100 / t)} %)")
        : string.Create(CultureInfo.InvariantCulture, $"{done:N0} {unit}");

    private sealed class PlainStep : ICommandProgressStep
    {
        private readonly TextWriter _error;
        private readonly TimeProvider _clock;
        private readonly string _description;
        private readonly string _unit;
        private readonly long _started;
        private readonly ITimer _timer;
        private long _done;
        private long? _total;
        private int _printed;
        private int _disposed;

        public PlainStep(TextWriter error, TimeProvider clock, TimeSpan interval, string description, long? total, string unit)
        {
            _error = error;
            _clock = clock;
            _description = description;
            _total = total;
            _unit = unit;
            _started = clock.GetTimestamp();
            _timer = clock.CreateTimer(_ => Print(final: false), null, interval, interval);
        }

        private int _counted;

        public void Report(long done)
        {
            Interlocked.Exchange(ref _done, done);
            Volatile.Write(ref _counted, 1);
        }

        public void Advance(long count = 1)
        {
            Interlocked.Add(ref _done, count);
            Volatile.Write(ref _counted, 1);
        }

        public void SetTotal(long total) => _total = total;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            _timer.Dispose();
            if (Volatile.Read(ref _printed) > 0)
            {
                Print(final: true);
            }
        }

        private void Print(bool final)
        {
            if (!final && Volatile.Read(ref _disposed) == 1)
            {
                return;
            }

            Interlocked.Increment(ref _printed);
            var seconds = _clock.GetElapsedTime(_started).TotalSeconds;
            var done = Interlocked.Read(ref _done);
            // A step that counts nothing (one long database statement) still shows that it is alive.
            var count = Volatile.Read(ref _counted) == 1 ? Count(done, final ? null : _total, _unit) + (final ? ", " : ", ") : "";
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{_description}: {count}{(final ? "done in " : "")}{seconds:0} s");
            lock (_error)
            {
                _error.WriteLine(line);
                _error.Flush();
            }
        }
    }

    private sealed class LiveStep : ICommandProgressStep
    {
        private readonly ConsoleProgress _owner;
        private readonly string _description;
        private readonly string _unit;
        private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task _display;
        private readonly ProgressTask _task;
        private long _done;
        private long? _total;
        private int _disposed;

        public LiveStep(ConsoleProgress owner, string description, long? total, string unit)
        {
            _owner = owner;
            _description = description;
            _total = total;
            _unit = unit;
            var ready = new TaskCompletionSource<ProgressTask>(TaskCreationOptions.RunContinuationsAsynchronously);
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(owner._error) });
            _display = Task.Run(() => console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(Markup.Escape(Label()), maxValue: total is > 0 ? total.Value : 1);
                    task.IsIndeterminate = total is null;
                    ready.SetResult(task);
                    await _finished.Task;
                    task.Description = Markup.Escape(Label());
                    if (!task.IsIndeterminate)
                    {
                        task.Value = task.MaxValue;
                    }

                    task.StopTask();
                }));
            _task = ready.Task.GetAwaiter().GetResult();
        }

        public void Report(long done)
        {
            Interlocked.Exchange(ref _done, done);
            Update();
        }

        public void Advance(long count = 1)
        {
            Interlocked.Add(ref _done, count);
            Update();
        }

        public void SetTotal(long total)
        {
            _total = total;
            _task.MaxValue = Math.Max(1, total);
            _task.IsIndeterminate = false;
            Update();
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            _finished.TrySetResult();
            _display.GetAwaiter().GetResult();
            _owner.LiveEnded();
        }

        private string Label() => $"{_description}: {Count(Interlocked.Read(ref _done), null, _unit)}";

        private void Update()
        {
            var done = Interlocked.Read(ref _done);
            if (_total is not null)
            {
                _task.Value = Math.Min(done, _task.MaxValue);
            }

            _task.Description = Markup.Escape(Label());
        }
    }
}
