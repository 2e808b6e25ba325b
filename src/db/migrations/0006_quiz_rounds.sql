CREATE TABLE `pinned_boards` (
	`workspace` text NOT NULL,
	`channel_id` text NOT NULL,
	`board` text NOT NULL,
	`pinned_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`shown` text DEFAULT '' NOT NULL,
	PRIMARY KEY(`workspace`, `channel_id`, `board`)
);
--> statement-breakpoint
CREATE TABLE `rounds` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace` text NOT NULL,
	`channel_id` text NOT NULL,
	`started_by` text NOT NULL,
	`track` text,
	`difficulty` text,
	`questions` integer NOT NULL,
	`seconds` integer NOT NULL,
	`index` integer DEFAULT 0 NOT NULL,
	`post_id` text,
	`state` text NOT NULL,
	`asked` text DEFAULT '[]' NOT NULL,
	`started_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `rounds_by_channel` ON `rounds` (`workspace`,`channel_id`,`state`);--> statement-breakpoint
ALTER TABLE `quiz_posts` ADD `option_order` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `quiz_posts` ADD `revealed_at` integer;--> statement-breakpoint
ALTER TABLE `quiz_posts` ADD `round_id` text;--> statement-breakpoint
ALTER TABLE `quiz_posts` ADD `round_index` integer;