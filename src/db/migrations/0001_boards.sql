CREATE TABLE `board_counts` (
	`board` text NOT NULL,
	`level` integer NOT NULL,
	`slot` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`board`, `level`, `slot`)
);
--> statement-breakpoint
CREATE TABLE `boards_pending` (
	`workspace` text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE `standings` (
	`workspace` text NOT NULL,
	`user_id` text NOT NULL,
	`points_all` integer DEFAULT 0 NOT NULL,
	`week_of` integer DEFAULT 0 NOT NULL,
	`points_week` integer DEFAULT 0 NOT NULL,
	`streak_live` integer DEFAULT 0 NOT NULL,
	`streak_until` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`workspace`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `standings_all` ON `standings` (`workspace`,`points_all`,`user_id`);--> statement-breakpoint
CREATE INDEX `standings_week` ON `standings` (`workspace`,`week_of`,`points_week`,`user_id`);--> statement-breakpoint
CREATE INDEX `standings_streak` ON `standings` (`workspace`,`streak_live`,`user_id`);--> statement-breakpoint
CREATE INDEX `standings_streak_expiry` ON `standings` (`workspace`,`streak_until`) WHERE streak_live > 0;--> statement-breakpoint
INSERT INTO `boards_pending` (`workspace`) SELECT DISTINCT `workspace` FROM `points`;
