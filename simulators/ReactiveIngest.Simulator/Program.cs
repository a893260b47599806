// The device fleet simulator and load-test runner. Commands arrive with the simulator issue.
using System.CommandLine;

var root = new RootCommand("ReactiveIngest device fleet simulator and load-test runner");
return root.Parse(args).Invoke();
