CREATE TABLE `live_messages` (
	`key` text PRIMARY KEY NOT NULL,
	`posted` text NOT NULL,
	`updated_at` integer NOT NULL
);
