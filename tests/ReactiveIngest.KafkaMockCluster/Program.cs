// Starts librdkafka's mock cluster and prints its bootstrap servers. Implemented with the Kafka issue.
Console.Error.WriteLine("The Kafka mock cluster host is not implemented yet.");
return 2;
