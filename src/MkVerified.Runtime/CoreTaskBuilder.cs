using System.Runtime.CompilerServices;

namespace MkVerified.Runtime;

/// <summary>Async method builder for <see cref="CoreTask"/>: boxes the state machine once, on first suspension.</summary>
public struct CoreTaskBuilder
{
    private CoreTask? _task;

    public static CoreTaskBuilder Create() => default;

    public CoreTask Task => _task ??= new CoreTask();

    public void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine => stateMachine.MoveNext();

    public void SetStateMachine(IAsyncStateMachine stateMachine) { }

    public void SetResult()
    {
        if (_task is null) _task = CoreTask.CompletedTask;
        else _task.Complete(null);
    }

    public void SetException(Exception exception) => (_task ??= new CoreTask()).Complete(exception);

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine
        => awaiter.OnCompleted(StateMachineBox.ResumeAction(_task ??= new CoreTask(), ref stateMachine));

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine
        => awaiter.UnsafeOnCompleted(StateMachineBox.ResumeAction(_task ??= new CoreTask(), ref stateMachine));
}

/// <summary>Async method builder for <see cref="CoreTask{T}"/>.</summary>
public struct CoreTaskBuilder<T>
{
    private CoreTask<T>? _task;

    public static CoreTaskBuilder<T> Create() => default;

    public CoreTask<T> Task => _task ??= new CoreTask<T>();

    public void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine => stateMachine.MoveNext();

    public void SetStateMachine(IAsyncStateMachine stateMachine) { }

    public void SetResult(T result)
    {
        if (_task is null) _task = CoreTask<T>.FromResult(result);
        else _task.SetResult(result);
    }

    public void SetException(Exception exception) => (_task ??= new CoreTask<T>()).Complete(exception);

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine
        => awaiter.OnCompleted(StateMachineBox.ResumeAction(_task ??= new CoreTask<T>(), ref stateMachine));

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine
        => awaiter.UnsafeOnCompleted(StateMachineBox.ResumeAction(_task ??= new CoreTask<T>(), ref stateMachine));
}

internal static class StateMachineBox
{
    /// <summary>
    /// On the first suspension the builder (already holding its task) is copied into a heap box with the
    /// state machine; later suspensions of the same method call reuse the box's cached action.
    /// </summary>
    public static Action ResumeAction<TStateMachine>(CoreTask task, ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine
    {
        if (task.MoveNextAction is { } cached) return cached;
        var box = new Box<TStateMachine> { StateMachine = stateMachine };
        task.MoveNextAction = box.MoveNext;
        return task.MoveNextAction;
    }

    private sealed class Box<TStateMachine> where TStateMachine : IAsyncStateMachine
    {
        public TStateMachine StateMachine = default!;
        public void MoveNext() => StateMachine.MoveNext();
    }
}
