CREATE TABLE `activity_days` (
	`workspace` text NOT NULL,
	`user_id` text NOT NULL,
	`day` text NOT NULL,
	`actions` integer DEFAULT 1 NOT NULL,
	PRIMARY KEY(`workspace`, `user_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `card_states` (
	`workspace` text NOT NULL,
	`user_id` text NOT NULL,
	`card_id` text NOT NULL,
	`due` integer NOT NULL,
	`stability` real NOT NULL,
	`difficulty` real NOT NULL,
	`elapsed_days` integer NOT NULL,
	`scheduled_days` integer NOT NULL,
	`learning_steps` integer NOT NULL,
	`reps` integer NOT NULL,
	`lapses` integer NOT NULL,
	`state` integer NOT NULL,
	`last_review` integer,
	`introduced_day` text NOT NULL,
	PRIMARY KEY(`workspace`, `user_id`, `card_id`)
);
--> statement-breakpoint
CREATE INDEX `card_states_due` ON `card_states` (`workspace`,`user_id`,`due`);--> statement-breakpoint
CREATE TABLE `channels` (
	`workspace` text NOT NULL,
	`channel_id` text NOT NULL,
	`current_lesson_id` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `channel_id`)
);
--> statement-breakpoint
CREATE TABLE `daily_configs` (
	`workspace` text NOT NULL,
	`channel_id` text NOT NULL,
	`time` text NOT NULL,
	`timezone` text NOT NULL,
	`track` text,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `channel_id`)
);
--> statement-breakpoint
CREATE TABLE `lesson_reads` (
	`workspace` text NOT NULL,
	`user_id` text NOT NULL,
	`lesson_id` text NOT NULL,
	`first_read_at` integer NOT NULL,
	`last_read_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `user_id`, `lesson_id`)
);
--> statement-breakpoint
CREATE TABLE `points` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace` text NOT NULL,
	`user_id` text NOT NULL,
	`amount` integer NOT NULL,
	`reason` text NOT NULL,
	`ref` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `points_once` ON `points` (`workspace`,`user_id`,`reason`,`ref`);--> statement-breakpoint
CREATE INDEX `points_by_time` ON `points` (`workspace`,`at`);--> statement-breakpoint
CREATE TABLE `quiz_answers` (
	`post_id` text NOT NULL,
	`user_id` text NOT NULL,
	`workspace` text NOT NULL,
	`question_id` text NOT NULL,
	`choice` integer NOT NULL,
	`correct` integer NOT NULL,
	`scored` integer NOT NULL,
	`answered_at` integer NOT NULL,
	PRIMARY KEY(`post_id`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `quiz_answers_by_user` ON `quiz_answers` (`workspace`,`user_id`,`question_id`);--> statement-breakpoint
CREATE TABLE `quiz_posts` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace` text NOT NULL,
	`channel_id` text NOT NULL,
	`question_id` text NOT NULL,
	`source` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`closes_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `quiz_posts_by_channel` ON `quiz_posts` (`workspace`,`channel_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `review_logs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace` text NOT NULL,
	`user_id` text NOT NULL,
	`card_id` text NOT NULL,
	`rating` integer NOT NULL,
	`state` integer NOT NULL,
	`due` integer NOT NULL,
	`stability` real NOT NULL,
	`difficulty` real NOT NULL,
	`scheduled_days` integer NOT NULL,
	`learning_steps` integer NOT NULL,
	`reviewed_at` integer NOT NULL,
	`day` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `review_logs_by_user_day` ON `review_logs` (`workspace`,`user_id`,`day`);--> statement-breakpoint
CREATE TABLE `submissions` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace` text NOT NULL,
	`user_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`kind` text NOT NULL,
	`challenge_id` text,
	`code` text NOT NULL,
	`stdin` text,
	`status` text NOT NULL,
	`result` text,
	`passed` integer,
	`points_awarded` integer DEFAULT 0 NOT NULL,
	`streak_days` integer,
	`conversation` text NOT NULL,
	`created_at` integer NOT NULL,
	`finished_at` integer,
	`delivered_at` integer
);
--> statement-breakpoint
CREATE INDEX `submissions_by_user` ON `submissions` (`workspace`,`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `submissions_pending` ON `submissions` (`status`) WHERE status = 'queued';--> statement-breakpoint
CREATE TABLE `users` (
	`workspace` text NOT NULL,
	`user_id` text NOT NULL,
	`display_name` text NOT NULL,
	`timezone` text,
	`current_streak` integer DEFAULT 0 NOT NULL,
	`longest_streak` integer DEFAULT 0 NOT NULL,
	`last_active_day` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `workspaces` (
	`id` text PRIMARY KEY NOT NULL,
	`timezone` text,
	`created_at` integer NOT NULL
);
