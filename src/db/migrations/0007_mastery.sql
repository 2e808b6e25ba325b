CREATE TABLE `challenge_retries` (
	`workspace` text NOT NULL,
	`user_id` text NOT NULL,
	`challenge_id` text NOT NULL,
	`step` integer NOT NULL,
	`due_at` integer NOT NULL,
	`failed_at` integer NOT NULL,
	`passed_at` integer,
	PRIMARY KEY(`workspace`, `user_id`, `challenge_id`)
);
--> statement-breakpoint
CREATE TABLE `lesson_mastery` (
	`workspace` text NOT NULL,
	`user_id` text NOT NULL,
	`lesson_id` text NOT NULL,
	`score` real NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `user_id`, `lesson_id`)
);
--> statement-breakpoint
CREATE TABLE `mastery_totals` (
	`workspace` text NOT NULL,
	`user_id` text NOT NULL,
	`total` real NOT NULL,
	`week_of` integer NOT NULL,
	`week_start_total` real NOT NULL,
	`gain` real DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `mastery_totals_by_total` ON `mastery_totals` (`workspace`,`total`);--> statement-breakpoint
CREATE INDEX `mastery_totals_by_gain` ON `mastery_totals` (`workspace`,`week_of`,`gain`);--> statement-breakpoint
CREATE TABLE `mistakes` (
	`workspace` text NOT NULL,
	`user_id` text NOT NULL,
	`question_id` text NOT NULL,
	`choice` integer NOT NULL,
	`source` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `user_id`, `question_id`)
);
--> statement-breakpoint
CREATE TABLE `review_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace` text NOT NULL,
	`user_id` text NOT NULL,
	`items` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`before` text NOT NULL,
	`started_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `review_sessions_by_user` ON `review_sessions` (`workspace`,`user_id`,`updated_at`);--> statement-breakpoint
ALTER TABLE `card_states` ADD `boost` text;--> statement-breakpoint
ALTER TABLE `card_states` ADD `boosted_at` integer;--> statement-breakpoint
ALTER TABLE `card_states` ADD `origin` text DEFAULT 'course' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `review_size` integer DEFAULT 15 NOT NULL;--> statement-breakpoint
ALTER TABLE `workspaces` ADD `milestones` integer DEFAULT true NOT NULL;