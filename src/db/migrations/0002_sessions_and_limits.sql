CREATE TABLE `flashcard_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace` text NOT NULL,
	`user_id` text NOT NULL,
	`track` text,
	`lesson_id` text,
	`card_id` text,
	`card_reps` integer DEFAULT 0 NOT NULL,
	`again` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `flashcard_sessions_by_user` ON `flashcard_sessions` (`workspace`,`user_id`,`updated_at`);--> statement-breakpoint
ALTER TABLE `card_states` ADD `introduced_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `submissions_by_person` ON `submissions` (`user_id`,`created_at`);--> statement-breakpoint
UPDATE `card_states` SET `introduced_at` = CAST(strftime('%s', `introduced_day`) AS INTEGER) * 1000;
