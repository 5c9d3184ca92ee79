namespace MkVerified.Runtime;

public enum CoreStatus { Idle, Runnable, Running, Blocked, Done }
