using System.Collections.Concurrent;

namespace AssetLedger.Infrastructure.Webhooks;

/// <summary>
/// A delivery lane on a thread of its own. Under command load the thread pool's queue is long, and a lane whose every
/// step (send, answer, next send) waits in it makes a round trip of a loopback request take milliseconds. On its own
/// thread the lane sends and reads each answer blocking (<see cref="WebhookSender.SendBlocking"/>): the kernel wakes
/// it when the answer arrives, with no queue in between. Its awaits (the database, the wake-ups) come back to the same
/// thread through a single-threaded <see cref="SynchronizationContext"/>, so nothing of the lane ever blocks a pool thread.
/// </summary>
static class LaneThread
{
    /// <summary>Runs <paramref name="body"/> on a new background thread until it completes; the task ends with it.</summary>
    public static Task Run(Func<Task> body, string name)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            var context = new Context();
            SynchronizationContext.SetSynchronizationContext(context);
            Task work;
            try { work = body(); }
            catch (Exception ex) { work = Task.FromException(ex); }
            work.ContinueWith(_ => context.Complete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            context.Pump();
            SynchronizationContext.SetSynchronizationContext(null);
            if (work.IsFaulted) done.SetException(work.Exception!.InnerExceptions);
            else if (work.IsCanceled) done.SetCanceled();
            else done.SetResult();
        }) { IsBackground = true, Name = name };
        thread.Start();
        return done.Task;
    }

    /// <summary>Whether the caller runs on a lane's own thread (where a blocking send holds up only that lane).</summary>
    public static bool OnLane => SynchronizationContext.Current is Context;

    sealed class Context : SynchronizationContext
    {
        readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = [];

        public override void Post(SendOrPostCallback d, object? state)
        {
            // A continuation that comes after the lane ended (a write it no longer waits for) runs on the pool instead.
            try { _queue.Add((d, state)); }
            catch (InvalidOperationException) { ThreadPool.QueueUserWorkItem(_ => d(state)); }
        }

        public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException("A lane's context takes posts only.");

        public override SynchronizationContext CreateCopy() => this;

        public void Complete() => _queue.CompleteAdding();

        public void Pump()
        {
            foreach (var (callback, state) in _queue.GetConsumingEnumerable()) callback(state);
        }
    }
}
