System.Console.Error.WriteLine("The runner is not built yet.");
return 1;
