return MkVerified.Cli.MkCli.Run(args);
