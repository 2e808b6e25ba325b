CREATE TABLE `decks` (
	`workspace` text PRIMARY KEY NOT NULL,
	`track_id` text NOT NULL,
	`title` text NOT NULL,
	`file_name` text NOT NULL,
	`items` text NOT NULL,
	`questions` integer NOT NULL,
	`cards` integer NOT NULL,
	`imported_by` text NOT NULL,
	`imported_at` integer NOT NULL,
	`revision` integer DEFAULT 1 NOT NULL
);
